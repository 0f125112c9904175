using System.Collections;

namespace Hanko.Webhooks.Serialization;

/// <summary>
/// The list behind a payload model's <see cref="IReadOnlyList{T}"/>: an exact-size array that nothing outside can
/// reach, with no member that changes it and no mutable interface to cast to (unlike <see cref="List{T}"/> or
/// <c>T[]</c>). One object and one array, which is less than a <see cref="List{T}"/> wrapped in a
/// <see cref="System.Collections.ObjectModel.ReadOnlyCollection{T}"/> (see BENCHMARKS.md).
/// </summary>
internal sealed class HankoReadOnlyList<T>(T[] items) : IReadOnlyList<T>
{
    public int Count => items.Length;

    public T this[int index] => items[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
