namespace Hanko.Webhooks.Sample.Handlers;

/// <summary>
/// Logs each user the catch-up hands over (Admin API mode with <c>--Sample:CatchUp=true</c>): a real app upserts the user,
/// or deletes it. Handlers of Hanko's own events (<see cref="UserDirectorySync"/>) never see these.
/// </summary>
public sealed class CatchUpLog(ILogger<CatchUpLog> logger) : IHankoEventHandler<UserCatchUpEvent>
{
    public Task HandleAsync(UserCatchUpEvent @event, CancellationToken cancellationToken)
    {
        logger.LogInformation("caught up {UserId} {State} {EventNames}", @event.UserId, @event.IsDeleted ? "deleted" : "present", string.Join(",", @event.EventNames));
        return Task.CompletedTask;
    }
}
