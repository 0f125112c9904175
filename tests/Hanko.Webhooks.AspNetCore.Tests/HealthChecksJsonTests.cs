using System.Net;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary><see cref="HankoWebhooksHealthChecks.WriteJsonResponse"/>: each entry's status, description and data, where the default writer says only "Healthy".</summary>
public sealed class HealthChecksJsonTests
{
    [Test]
    public async Task WriteJsonResponse_WritesEachEntrysStatusDescriptionAndData_AndTheErrorsTypeNotItsMessage()
    {
        await using var app = await TestApp.StartAsync(
            h => h.AddHealthCheck(),
            map: a =>
            {
                a.MapHankoWebhooks();
                a.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HankoWebhooksHealthChecks.WriteJsonResponse });
            },
            configure: b => b.Services.AddHealthChecks()
                .AddCheck("listing", () => HealthCheckResult.Degraded("two of three", data: new Dictionary<string, object>
                {
                    ["missing"] = new[] { "user", "email.send" },
                    ["failures"] = 3,
                    ["ratio"] = 0.5,
                    ["at"] = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero),
                    ["enabled"] = false,
                    ["nan"] = double.NaN,
                    ["infinite"] = float.PositiveInfinity,
                    ["huge"] = 1e300,
                    ["largest"] = ulong.MaxValue,
                    ["exact"] = 0.1m,
                }))
                .AddCheck("store", () => HealthCheckResult.Unhealthy("unreachable", new InvalidOperationException("password=hunter2"))));

        using var response = await app.Client.GetAsync("/healthz");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the middleware's status codes are kept");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var text = await response.Content.ReadAsStringAsync();
        text.Should().NotContain("hunter2", "an exception's message may hold a secret");
        var report = JsonNode.Parse(text)!;
        report["status"]!.GetValue<string>().Should().Be("Unhealthy");
        report["totalDurationMs"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);

        var keys = report["entries"]![HankoWebhooksHealthCheckBuilderExtensions.DefaultHealthCheckName]!;
        keys["status"]!.GetValue<string>().Should().Be("Healthy");
        keys["description"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        keys["data"]!["keyCount"]!.GetValue<long>().Should().Be(1);
        keys["data"]!["jwksUri"]!.GetValue<string>().Should().Be("https://hanko.test/.well-known/jwks.json");

        var listing = report["entries"]!["listing"]!;
        listing["status"]!.GetValue<string>().Should().Be("Degraded");
        listing["description"]!.GetValue<string>().Should().Be("two of three");
        listing["data"]!["missing"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("user", "email.send");
        listing["data"]!["failures"]!.GetValue<long>().Should().Be(3);
        listing["data"]!["ratio"]!.GetValue<double>().Should().Be(0.5);
        listing["data"]!["at"]!.GetValue<string>().Should().Be("2026-12-06T08:00:00+00:00");
        listing["data"]!["enabled"]!.GetValue<bool>().Should().BeFalse();
        listing["data"]!["nan"]!.GetValue<string>().Should().Be("NaN", "JSON has no NaN: a check's odd number does not break the whole answer");
        listing["data"]!["infinite"]!.GetValue<string>().Should().Be("Infinity");
        listing["data"]!["huge"]!.GetValue<double>().Should().Be(1e300);
        listing["data"]!["largest"]!.GetValue<ulong>().Should().Be(ulong.MaxValue);
        listing["data"]!["exact"]!.GetValue<decimal>().Should().Be(0.1m);
        listing["error"].Should().BeNull();

        var store = report["entries"]!["store"]!;
        store["status"]!.GetValue<string>().Should().Be("Unhealthy");
        store["error"]!.GetValue<string>().Should().Be("System.InvalidOperationException");
    }
}
