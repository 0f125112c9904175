namespace Hanko.Webhooks.Sample.Handlers;

/// <summary>Keeps <see cref="UserDirectory"/> in step with Hanko: one handler for every <c>user.*</c> event.</summary>
public sealed class UserDirectorySync(UserDirectory directory, ILogger<UserDirectorySync> logger) : IHankoEventHandler<UserEvent>
{
    public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken)
    {
        var user = @event.User;
        if (@event is UserDeleteEvent)
        {
            directory.Remove(user.Id);
        }
        else
        {
            // Trust the payload: Hanko may deliver before its own transaction commits, so don't re-read the user now.
            directory.Upsert(new LocalUser(user.Id, user.PrimaryEmail?.Address, user.Username?.Username, user.UpdatedAt));
        }

        logger.LogInformation("[{Event}] user {UserId} ({Email}); {Count} user(s) in the directory", EventLabel.Of(@event), user.Id, user.PrimaryEmail?.Address ?? "no email", directory.Count);
        return Task.CompletedTask;
    }
}
