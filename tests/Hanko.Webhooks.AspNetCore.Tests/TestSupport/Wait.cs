namespace Hanko.Webhooks.AspNetCore.Tests.TestSupport;

internal static class Wait
{
    /// <summary>Waits (in real time, at most 10 s) for something a background task does.</summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true in 10 seconds.");
            }

            await Task.Delay(10);
        }
    }
}
