using System.Net;
using FluentAssertions;
using Hanko.Webhooks.AspNetCore.Tests.TestSupport;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>docs/telemetry.md: "category <c>Hanko.Webhooks</c> for 1–99, <c>Hanko.Webhooks.AspNetCore</c> for 100 on", for every message.</summary>
public sealed class LogCategoryTests
{
    [Test]
    public async Task InlineRun_EveryHankoMessage_HasTheDocumentedCategory_IncludingHandlerFailures()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<ThrowingUserCreateHandler>().AddHandler<AllEventsHandler>());

        using var failed = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));
        using var refused = await t.PostAsync(t.Hanko.CreateSessionTokenDelivery());

        failed.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var records = t.Logs.GetSnapshot();
        records.Should().ContainSingle(r => r.Id.Id == 30).Which.Category.Should().Be("Hanko.Webhooks");
        records.Should().ContainSingle(r => r.Id.Id == 24).Which.Category.Should().Be("Hanko.Webhooks", "the core logs the delivery's result");
        records.Should().ContainSingle(r => r.Id.Id == 23).Which.Category.Should().Be("Hanko.Webhooks", "the core logs the refusal");
        AssertDocumentedCategories(records);
    }

    [Test]
    public async Task BackgroundRun_QueuedHandlerFailure_IsLoggedUnderHankoWebhooksAspNetCore()
    {
        await using var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing().AddHandler<ThrowingUserCreateHandler>());

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));
        await Wait.UntilAsync(() => t.Logged(111));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var records = t.Logs.GetSnapshot();
        records.Should().ContainSingle(r => r.Id.Id == 111).Which.Category.Should().Be("Hanko.Webhooks.AspNetCore");
        records.Should().ContainSingle(r => r.Id.Id == 30).Which.Category.Should().Be("Hanko.Webhooks");
        AssertDocumentedCategories(records);
    }

    private static void AssertDocumentedCategories(IReadOnlyList<Microsoft.Extensions.Logging.Testing.FakeLogRecord> records)
    {
        foreach (var record in records.Where(r => r.Category?.StartsWith("Hanko.", StringComparison.Ordinal) == true))
        {
            var expected = record.Id.Id < 100 ? "Hanko.Webhooks" : "Hanko.Webhooks.AspNetCore";
            record.Category.Should().Be(expected, $"log event {record.Id.Id} ({record.Message})");
        }
    }
}
