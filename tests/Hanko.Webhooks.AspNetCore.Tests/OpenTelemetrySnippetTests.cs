using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// The OpenTelemetry snippet of docs/telemetry.md, as written, in an ASP.NET Core app (TestServer) with OpenTelemetry's default sampler
/// (parent-based, always on) and the in-memory exporter: the documented spans are exported.
/// </summary>
[NonParallelizable] // no other ActivityListener may sample Hanko.Webhooks spans meanwhile
public sealed partial class OpenTelemetrySnippetTests
{
    private const string Snippet = """
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource("Hanko.Webhooks"))
            .WithMetrics(m => m.AddMeter("Hanko.Webhooks"));
        """;

    [Test]
    public void Readme_ShowsTheSnippetThisTestRuns()
    {
        var docs = MarkdownCodeBlocks.DocumentationText(MarkdownCodeBlocks.RepositoryRoot(TestContext.CurrentContext.TestDirectory));
        var block = SnippetBlock().Match(docs);

        block.Success.Should().BeTrue("README.md or docs/telemetry.md marks the snippet with otel:begin/end");
        block.Groups[1].Value.ReplaceLineEndings("\n").Trim().Should().Be(Snippet.ReplaceLineEndings("\n"));
    }

    [Test]
    public async Task Snippet_InAnAspNetCoreApp_ExportsDeliveryVerifyAndHandlerSpans()
    {
        var exported = new List<Activity>();
        var metrics = new List<Metric>();
        await using (var app = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            configure: builder =>
            {
                // The snippet, plus the in-memory exporters to read back what would be exported.
                builder.Services.AddOpenTelemetry()
                    .WithTracing(t => t.AddSource("Hanko.Webhooks").AddInMemoryExporter(exported))
                    .WithMetrics(m => m.AddMeter("Hanko.Webhooks").AddInMemoryExporter(metrics));
            }))
        {
            (await app.PostAsync(app.Hanko.CreateDelivery("user.create"))).StatusCode.Should().Be(HttpStatusCode.OK);
            (await app.PostAsync(app.Hanko.CreateExpiredDelivery("user.update"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            app.App.Services.GetRequiredService<MeterProvider>().ForceFlush();
        }

        var deliveries = exported.Where(a => a.OperationName == "hanko.webhooks.delivery").ToList();
        deliveries.Should().HaveCount(2, "ASP.NET Core's unrecorded request activity must not make the sampler drop them");
        deliveries.Should().OnlyContain(d => d.Recorded && d.ParentSpanId == default && d.Links.Count() == 1,
            "without ASP.NET Core instrumentation each delivery is a root linked to the request activity");
        deliveries[0].GetTagItem("hanko.webhook.event").Should().Be("user.create");
        deliveries[0].GetTagItem("hanko.webhook.outcome").Should().Be("handled");
        deliveries[0].GetTagItem("http.response.status_code").Should().Be(200);
        deliveries[1].GetTagItem("hanko.webhook.failure").Should().Be("Expired");

        var verifies = exported.Where(a => a.OperationName == "hanko.webhooks.verify").ToList();
        verifies.Select(v => v.ParentSpanId).Should().Equal(deliveries.Select(d => d.SpanId));
        exported.Should().ContainSingle(a => a.OperationName == "hanko.webhooks.handler")
            .Which.ParentSpanId.Should().Be(deliveries[0].SpanId);
        exported.Should().Contain(a => a.OperationName == "hanko.webhooks.jwks.fetch");
        metrics.Select(m => m.Name).Should().Contain("hanko.webhooks.deliveries");
    }

    [GeneratedRegex("<!-- otel:begin -->\\s*```csharp(.*?)```\\s*<!-- otel:end -->", RegexOptions.Singleline)]
    private static partial Regex SnippetBlock();
}
