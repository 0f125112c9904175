using System.Net;
using System.Text;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Verification;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Verification;

/// <summary>The JWKS answer is read with the SDK's one bounded read: at most 512 KiB, whatever its Content-Length says.</summary>
public sealed class JwksAnswerSizeTests
{
    private const int MaxJwksBytes = 512 * 1024;

    [TestCase(true)]
    [TestCase(false)]
    public async Task JwksAnswerLargerThanTheLimit_IsKeysUnavailable_NamingTheLimit_AndIsNotReadToItsEnd(bool declareLength)
    {
        var hanko = new FakeHanko();
        var served = new CountingStream(Encoding.UTF8.GetBytes("{\"keys\":[" + new string(' ', 4 * MaxJwksBytes) + "]}"));
        using var client = new HttpClient(new Answer(served, declareLength));
        var verifier = new WebhookVerifier(new HankoWebhookOptions { JwksUrl = "https://hanko.test/.well-known/jwks.json", Audience = "localhost" }, client, TimeProvider.System);

        var result = await verifier.VerifyAsync(hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes);

        result.Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);
        verifier.Keys.Status.LastError.Should().Contain($"larger than {MaxJwksBytes} bytes");
        served.BytesRead.Should().BeLessThanOrEqualTo(declareLength ? 0 : MaxJwksBytes + 64 * 1024, "a longer answer is refused when its length says so, else after one byte past the limit (plus one read)");
    }

    [Test]
    public async Task JwksAnswerJustUnderTheLimit_IsRead()
    {
        var hanko = new FakeHanko();
        var jwks = hanko.GetJwksJson();
        var padded = jwks[..^1] + new string(' ', MaxJwksBytes - Encoding.UTF8.GetByteCount(jwks)) + "}";
        using var client = new HttpClient(new Answer(new CountingStream(Encoding.UTF8.GetBytes(padded)), declareLength: false));
        var verifier = new WebhookVerifier(new HankoWebhookOptions { JwksUrl = "https://hanko.test/.well-known/jwks.json", Audience = "localhost" }, client, TimeProvider.System);

        var result = await verifier.VerifyAsync(hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes);

        Encoding.UTF8.GetByteCount(padded).Should().Be(MaxJwksBytes);
        result.IsValid.Should().BeTrue(result.FailureMessage);
    }

    private sealed class Answer(CountingStream body, bool declareLength) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new("application/json");
            content.Headers.ContentLength = declareLength ? body.Length : null;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    /// <summary>A body that counts what was read from it and hides its length (as a chunked answer does). Every read of a
    /// stream derived from MemoryStream ends in <c>Read(byte[], int, int)</c>, so it counts there only.</summary>
    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public long BytesRead { get; private set; }

        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
