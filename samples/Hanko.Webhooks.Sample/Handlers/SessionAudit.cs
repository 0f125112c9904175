namespace Hanko.Webhooks.Sample.Handlers;

/// <summary>Records session starts and ends: one handler for every <c>session.*</c> event.</summary>
public sealed class SessionAudit(ILogger<SessionAudit> logger) : IHankoEventHandler<SessionEvent>
{
    public Task HandleAsync(SessionEvent @event, CancellationToken cancellationToken)
    {
        var how = @event switch
        {
            SessionCreateEvent => "started",
            SessionDeleteExplicitEvent => "ended by the user",
            SessionDeletePassiveEvent => "ended by Hanko",
            SessionDeleteEvent => "ended",
            _ => "changed",
        };
        logger.LogInformation("[{Event}] session {SessionId} of user {UserId} {How}", EventLabel.Of(@event), @event.Session.Id, @event.Session.UserId, how);
        return Task.CompletedTask;
    }
}
