using System.Buffers;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// The one bounded read of a body: at most <c>maxBodyBytes</c> + 1 bytes into a pooled buffer, so that a chunked body (no
/// length declared) larger than the limit is refused without being read to its end. Used by the receiver for webhook
/// requests, and for HTTP answers (<see cref="ReadAsync(HttpContent, int, CancellationToken)"/>) by the JWKS fetcher and by
/// the Subscriptions package's Admin API client (this file is linked into that package).
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
    public static ValueTask<PooledBody> ReadAsync(Stream body, int maxBodyBytes, long? declaredLength, CancellationToken cancellationToken) =>
        ReadCoreAsync(body, maxBodyBytes, declaredLength, unreadableOnIOException: true, cancellationToken);

    /// <summary>
    /// Reads an HTTP answer of at most <paramref name="maxBytes"/>, whatever its <c>Content-Length</c> says: a declared length
    /// over the limit is refused unread, and a body without one is read until one byte past the limit at most.
    /// </summary>
    /// <returns>The body (a copy; the pooled buffer is cleared), or <see langword="null"/> when it is longer than <paramref name="maxBytes"/>.</returns>
    /// <exception cref="IOException">The body broke off before its end.</exception>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = await ReadCoreAsync(stream, maxBytes, declared, unreadableOnIOException: false, cancellationToken).ConfigureAwait(false);
            return body.Status == BodyReadStatus.TooLarge ? (ReadOnlyMemory<byte>?)null : body.Memory.ToArray();
        }
    }

    /// <summary>The read itself (one method, so that a request body's read is one async step); an <see cref="IOException"/> is
    /// <see cref="BodyReadStatus.Unreadable"/> or thrown, as asked, after the buffer is cleared and returned.</summary>
    private static async ValueTask<PooledBody> ReadCoreAsync(Stream body, int maxBodyBytes, long? declaredLength, bool unreadableOnIOException, CancellationToken cancellationToken)
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
        catch (IOException) when (unreadableOnIOException)
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
