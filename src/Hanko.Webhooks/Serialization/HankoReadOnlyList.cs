namespace Hanko.Webhooks.Serialization;

/// <summary>The lists of the payload models: read-only, and a copy of what a caller passes in.</summary>
internal static class HankoReadOnlyList
{
    /// <summary>
    /// A read-only copy of <paramref name="items"/> (empty for <see langword="null"/>), so that whoever built a model
    /// cannot change its list afterwards through the list they passed in.
    /// </summary>
    public static IReadOnlyList<T> Copy<T>(IReadOnlyList<T>? items)
        => items is null || items.Count == 0 ? [] : new HankoReadOnlyList<T>([.. items]);
}
