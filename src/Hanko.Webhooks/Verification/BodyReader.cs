using System.Buffers;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// The one bounded read of a request body: at most <c>maxBodyBytes</c> + 1 bytes into a pooled buffer, so that a chunked
/// body (no length declared) larger than the limit is refused without being read to its end. Used by the receiver and by
/// the verifier's <see cref="Stream"/> overload.
/// </summary>
/// <remarks>
/// The buffer starts at no more than <see cref="InitialBufferBytes"/> and doubles only when the bytes received fill it, so
/// what a request holds grows with what it sent, not with the <c>Content-Length</c> it declared: a stranger who declares
/// the largest body and sends none holds 16 KB, not <c>maxBodyBytes</c>, for as long as the server keeps the connection.
/// Hanko's bodies are a few KB, so they are read straight into the first buffer (one copy, as before).
/// </remarks>
internal static class BodyReader
{
    private const int InitialBufferBytes = 16 * 1024;

    /// <summary>Reads <paramref name="body"/>. A read that fails with an <see cref="IOException"/> is <see cref="BodyReadStatus.Unreadable"/>.</summary>
    /// <param name="body">The stream; read, not disposed.</param>
    /// <param name="maxBodyBytes">The most bytes accepted.</param>
    /// <param name="declaredLength">The declared length: a smaller one sizes the first buffer; the caller checks it against the limit first.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async ValueTask<PooledBody> ReadAsync(Stream body, int maxBodyBytes, long? declaredLength, CancellationToken cancellationToken)
    {
        var limit = maxBodyBytes + 1;
        var initial = (int)Math.Min(declaredLength is { } declared and >= 0 ? declared + 1 : InitialBufferBytes, Math.Min(InitialBufferBytes, limit));
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 1));
        var length = 0;
        try
        {
            while (length < limit)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (IOException)
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            return new PooledBody(null, 0, BodyReadStatus.Unreadable);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            throw;
        }

        if (length > maxBodyBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            return new PooledBody(null, 0, BodyReadStatus.TooLarge);
        }

        return new PooledBody(buffer, length, BodyReadStatus.Read);
    }
}

internal enum BodyReadStatus
{
    Read,
    TooLarge,
    Unreadable,
}

/// <summary>A body read into a pooled buffer; dispose it to clear and return the buffer (it may hold OTP codes).</summary>
internal readonly struct PooledBody(byte[]? buffer, int length, BodyReadStatus status) : IDisposable
{
    public BodyReadStatus Status => status;

    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    public void Dispose()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
