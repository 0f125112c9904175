namespace Hanko.Webhooks.Sample.Handlers;

/// <summary>How the handlers name an event in their log lines: <c>user.create</c>, or <c>eu/user.create</c> for the Hanko project <c>eu</c>.</summary>
internal static class EventLabel
{
    public static string Of(HankoEvent @event) => @event.Project is null ? @event.Name : $"{@event.Project}/{@event.Name}";
}
