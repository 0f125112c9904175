using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Hanko.Webhooks.Serialization;

/// <summary>
/// The dictionary behind a payload model's <see cref="IReadOnlyDictionary{TKey, TValue}"/>: a private
/// <see cref="Dictionary{TKey, TValue}"/> with no member that changes it and no mutable interface to cast to (unlike
/// <see cref="Dictionary{TKey, TValue}"/> or <see cref="System.Collections.ObjectModel.ReadOnlyDictionary{TKey, TValue}"/>).
/// </summary>
internal sealed class HankoReadOnlyDictionary<TValue>(Dictionary<string, TValue> items) : IReadOnlyDictionary<string, TValue>
{
    /// <summary>The shared empty dictionary.</summary>
    public static readonly HankoReadOnlyDictionary<TValue> Empty = new(new Dictionary<string, TValue>(0, StringComparer.Ordinal));

    /// <summary>A read-only copy of <paramref name="items"/> (the shared empty one for <see langword="null"/> or none), keys compared ordinally.</summary>
    public static IReadOnlyDictionary<string, TValue> Copy(IReadOnlyDictionary<string, TValue>? items)
        => items is null || items.Count == 0 ? Empty : new HankoReadOnlyDictionary<TValue>(items.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    public TValue this[string key] => items[key];

    public IEnumerable<string> Keys => items.Keys;

    public IEnumerable<TValue> Values => items.Values;

    public int Count => items.Count;

    public bool ContainsKey(string key) => items.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) => items.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
