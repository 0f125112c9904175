using System.Text;
using FluentAssertions;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Receiving;

/// <summary>
/// The receiver's body read starts with a small buffer whatever length is declared, and grows as bytes arrive: a body
/// larger than the first buffer, arriving in pieces, is still read whole; a stream that sends more than it declared is
/// still cut off one byte past the limit.
/// </summary>
public sealed class BodyReadTests
{
    [TestCase(16 * 1024)]
    [TestCase(300 * 1024)]
    public async Task ReceiveAsync_DeclaredBodyLargerThanTheFirstBuffer_ArrivingInSmallPieces_IsReadWholeAndDispatched(int size)
    {
        await using var h = ReceiverHarness.Create();
        var body = Padded(h.Hanko.CreateDelivery(HankoEventNames.UserCreate).Body, size);
        await using var stream = new TricklingStream(body, pieceBytes: 1000);

        var result = await h.Receiver.ReceiveAsync(stream, new HankoRequestInfo("application/json", body.Length));

        result.Outcome.Should().Be(HankoReceiveOutcome.Dispatched, result.Verification.FailureMessage);
        h.Counter.Total.Should().Be(1);
    }

    [Test]
    public async Task ReceiveAsync_StreamSendingMoreThanItDeclared_IsRefusedAsTooLargeOneBytePastTheLimit()
    {
        await using var h = ReceiverHarness.Create(o => o.MaxBodyBytes = 64 * 1024);
        var body = Padded(h.Hanko.CreateDelivery(HankoEventNames.UserCreate).Body, 200 * 1024);
        await using var stream = new TricklingStream(body, pieceBytes: 4096);

        var result = await h.Receiver.ReceiveAsync(stream, new HankoRequestInfo("application/json", 100));

        result.Failure.Should().Be(HankoWebhookFailure.BodyTooLarge);
        stream.Position.Should().Be((64 * 1024) + 1, "the read stops one byte past the limit");
        h.Counter.Total.Should().Be(0);
    }

    /// <summary>The delivery's body with an ignored member added, so that it is <paramref name="size"/> bytes long.</summary>
    private static byte[] Padded(string body, int size)
    {
        var prefix = body[..^1] + ",\"padding\":\"";
        return Encoding.UTF8.GetBytes(prefix + new string('x', size - prefix.Length - 2) + "\"}");
    }

    /// <summary>A body that arrives at most <c>pieceBytes</c> at a time, as from a slow connection.</summary>
    private sealed class TricklingStream(byte[] bytes, int pieceBytes) : MemoryStream(bytes, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, pieceBytes)], cancellationToken);
    }
}
