using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hanko.Webhooks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Hanko.Webhooks.sln not found.");
    }
}
