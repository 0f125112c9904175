using System.Net;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// Everything logged during a full run through the endpoint (every category, Trace level) is searched for the secrets the
/// deliveries carried: tokens and each of their segments, OTP codes, metadata values and IP addresses.
/// </summary>
public sealed class LogSecrecyTests
{
    private static readonly string Run = Guid.NewGuid().ToString("N")[..12];
    private static readonly string PublicValue = "pub-canary-" + Run;
    private static readonly string PrivateValue = "priv-canary-" + Run;
    private static readonly string PrivateNestedValue = "priv-nested-" + Run;
    private static readonly string UnsafeValue = "unsafe-canary-" + Run;
    private const string CanaryOtp = "907153";
    private const string CanaryIp = "198.51.100.77";

    [Test]
    public async Task FullRun_AllEventsAndRefusals_NoTokenOtpOrMetadataInAnyLogRecord()
    {
        await using var app = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>().AddHandler<ThrowingUserCreateHandler>().AddHandler<ThrowingMailer>(),
            configure: b => b.Logging.SetMinimumLevel(LogLevel.Trace));
        var hanko = app.Hanko;
        var secrets = new HashSet<string>(StringComparer.Ordinal) { CanaryOtp, CanaryIp, PublicValue, PrivateValue, PrivateNestedValue, UnsafeValue };
        var deliveries = new List<(HankoDelivery Delivery, HttpStatusCode Expected)>();

        foreach (var name in FakeHanko.EventNames)
        {
            var expected = name is "user.create" or "email.send" ? HttpStatusCode.InternalServerError : HttpStatusCode.OK;
            deliveries.Add((hanko.CreateDelivery(name, WithSecrets(name)), expected));
        }

        foreach (var variant in FakeHanko.PayloadNames.Where(n => n.StartsWith("email.send.", StringComparison.Ordinal)))
        {
            deliveries.Add((hanko.CreateDelivery("email.send", o => o.Variant = variant[11..]), HttpStatusCode.InternalServerError));
        }

        deliveries.Add((hanko.CreateExpiredDelivery("user.update", WithSecrets("user.update")), HttpStatusCode.Unauthorized));
        deliveries.Add((hanko.CreateSessionTokenDelivery("email.send"), HttpStatusCode.Unauthorized));
        deliveries.Add((hanko.CreateTamperedPayloadDelivery("email.send", WithSecrets("email.send")), HttpStatusCode.Unauthorized));
        deliveries.Add((hanko.CreateTamperedSignatureDelivery("user.update", WithSecrets("user.update")), HttpStatusCode.Unauthorized));
        deliveries.Add((hanko.CreateEventMismatchDelivery("email.send", WithSecrets("email.send")), HttpStatusCode.Unauthorized));
        deliveries.Add((hanko.CreateUnknownKeyDelivery("user.update", WithSecrets("user.update")), HttpStatusCode.Unauthorized));
        deliveries.Add((hanko.CreateWrongAudienceDelivery("user.login", WithSecrets("user.login")), HttpStatusCode.Unauthorized));

        foreach (var (delivery, expected) in deliveries)
        {
            (await app.PostAsync(delivery)).StatusCode.Should().Be(expected, delivery.ToString());
            AddTokenSecrets(secrets, delivery.Token);
        }

        AddPayloadSecrets(secrets);

        var records = app.Logs.GetSnapshot();
        records.Select(r => r.Id.Id).Should().Contain([21, 23, 24, 30], "the run exercises refusals, verifications and handler failures");
        records.Select(r => r.Category).Should().Contain("Hanko.Webhooks");
        records.Should().Contain(r => r.Level == LogLevel.Trace, "the capture really is at Trace level");
        foreach (var record in records)
        {
            var texts = new List<string?> { record.Message, record.Exception?.ToString() };
            texts.AddRange(record.StructuredState?.Select(kv => kv.Value) ?? []);
            foreach (var text in texts.OfType<string>())
            {
                foreach (var secret in secrets)
                {
                    text.Should().NotContain(secret, $"log record {record.Id} ({record.Category}, {record.Level}) must not carry a secret");
                }
            }
        }
    }

    /// <summary>Puts canary metadata and an IP address into user payloads and a canary OTP code into email.send.</summary>
    private static Action<FakeDeliveryOptions> WithSecrets(string eventName) => o => o.EditData = data =>
    {
        if (eventName.StartsWith("user.", StringComparison.Ordinal))
        {
            data["metadata"] = new JsonObject
            {
                ["public_metadata"] = new JsonObject { ["tier"] = PublicValue },
                ["private_metadata"] = new JsonObject { ["stripe_customer_id"] = PrivateValue, ["notes"] = new JsonArray(PrivateNestedValue) },
                ["unsafe_metadata"] = new JsonObject { ["nickname"] = UnsafeValue },
            };
            data["ip_address"] = CanaryIp;
        }
        else if (eventName == "email.send" && data["data"] is JsonObject email && email.ContainsKey("otp_code"))
        {
            email["otp_code"] = CanaryOtp;
        }
    };

    private static void AddTokenSecrets(HashSet<string> secrets, string token)
    {
        secrets.Add(token);
        foreach (var segment in token.Split('.'))
        {
            if (segment.Length >= 8)
            {
                secrets.Add(segment);
            }
        }
    }

    /// <summary>The OTP codes and metadata values of the default payloads, as sent by the deliveries without canaries.</summary>
    private static void AddPayloadSecrets(HashSet<string> secrets)
    {
        foreach (var payload in FakeHanko.PayloadNames)
        {
            var eventName = FakeHanko.EventNames.Where(n => payload.StartsWith(n, StringComparison.Ordinal)).MaxBy(n => n.Length)!;
            var variant = payload.Length > eventName.Length ? payload[(eventName.Length + 1)..] : null;
            var data = FakeHanko.GetDefaultData(eventName, variant);
            if (data["data"] is JsonObject { } emailData && emailData["otp_code"] is JsonValue otp)
            {
                secrets.Add(otp.ToString());
            }

            if (data["metadata"] is JsonObject metadata)
            {
                foreach (var value in Leaves(metadata).Where(v => v.Length >= 6))
                {
                    secrets.Add(value);
                }
            }
        }
    }

    private static IEnumerable<string> Leaves(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Leaves(p.Value)),
        JsonArray a => a.SelectMany(Leaves),
        JsonValue v => [v.ToString()],
        _ => [],
    };

    /// <summary>A mail handler that fails, as a mailer outage would; its message is its own, not the payload.</summary>
    private sealed class ThrowingMailer : IHankoEventHandler<EmailSendEvent>
    {
        public Task HandleAsync(EmailSendEvent @event, CancellationToken cancellationToken) =>
            throw new HttpRequestException("The mail service is unavailable.");
    }
}
