namespace Hanko.Webhooks.Sample.Handlers;

/// <summary>One class handling two event types: both changes that should alert the account's owner.</summary>
public sealed class SecurityAlerts(ILogger<SecurityAlerts> logger) : IHankoEventHandler<UserPasswordChangeEvent>, IHankoEventHandler<UserEmailDeleteEvent>
{
    public Task HandleAsync(UserPasswordChangeEvent @event, CancellationToken cancellationToken) =>
        Alert(@event, "password changed");

    public Task HandleAsync(UserEmailDeleteEvent @event, CancellationToken cancellationToken) =>
        Alert(@event, "email address removed");

    private Task Alert(UserEvent @event, string what)
    {
        logger.LogInformation("[{Event}] security alert for user {UserId}: {What}", EventLabel.Of(@event), @event.User.Id, what);
        return Task.CompletedTask;
    }
}
