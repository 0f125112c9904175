namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Reads an Admin API answer of at most a given size, whatever its <c>Content-Length</c> says: a declared length over the
/// limit is refused unread, and a body without one (chunked) is read until one byte past the limit at most. (The core's
/// bounded read of webhook bodies is not public API, which is all this package builds on; these answers are small.)
/// </summary>
internal static class BoundedRead
{
    private const int InitialBufferBytes = 16 * 1024;

    /// <summary>The body, or <see langword="null"/> when it is longer than <paramref name="maxBytes"/>.</summary>
    /// <exception cref="IOException">The body broke off before its end.</exception>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            return null;
        }

        var limit = maxBytes + 1;
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[Math.Min(InitialBufferBytes, limit)];
            var length = 0;
            while (length < limit)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.AsMemory(0, length);
                }

                length += read;
            }

            return null;
        }
    }
}
