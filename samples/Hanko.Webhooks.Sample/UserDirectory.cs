using System.Collections.Concurrent;

namespace Hanko.Webhooks.Sample;

/// <summary>The app's own copy of its users, kept in step with Hanko by <see cref="Handlers.UserDirectorySync"/>.</summary>
public sealed class UserDirectory
{
    private readonly ConcurrentDictionary<Guid, LocalUser> _users = new();

    public int Count => _users.Count;

    public void Upsert(LocalUser user) => _users[user.Id] = user;

    public bool Remove(Guid id) => _users.TryRemove(id, out _);

    public LocalUser? Find(Guid id) => _users.GetValueOrDefault(id);
}

/// <summary>What the app keeps of a Hanko user.</summary>
public sealed record LocalUser(Guid Id, string? Email, string? Username, DateTimeOffset UpdatedAt);
