using System.Collections.Frozen;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// Checks the names of an endpoint's event filter against Hanko's event tree (<see cref="HankoEventNames.All"/>), so that a typo
/// fails at mapping instead of answering every delivery 200 and dispatching none; and finds the known names nearest to a typo.
/// </summary>
internal static class EventNameCheck
{
    private const int MaxSuggestions = 3;

    /// <summary>Longer than any Hanko name by far: not a typo of one, and not worth comparing.</summary>
    private const int MaxComparedLength = 200;

    private static readonly FrozenSet<string> Known = HankoEventNames.All.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The names no other name is a group of (<c>user</c>, <c>email.send</c>, <c>session</c>): where to start looking.</summary>
    private static readonly string[] TopLevel =
        [.. HankoEventNames.All.Where(n => !HankoEventNames.All.Any(g => n.StartsWith(g + ".", StringComparison.Ordinal)))];

    /// <summary>Whether <paramref name="name"/> is a Hanko event or a group of events (exactly, as Hanko compares them).</summary>
    public static bool IsKnown(string name) => Known.Contains(name);

    /// <summary>Why <paramref name="name"/> is refused, with the known names nearest to it.</summary>
    public static string Describe(string name)
    {
        var nearest = Nearest(name);
        return nearest.Count > 0
            ? $"\"{name}\": did you mean {string.Join(" or ", nearest.Select(n => $"\"{n}\""))}?"
            : $"\"{name}\": no known name is close (the event tree starts at {string.Join(", ", TopLevel)})";
    }

    /// <summary>
    /// The known names nearest to <paramref name="name"/> by edit distance, ignoring case (a swapped pair of letters counts as one
    /// edit): the closest ones and those one edit further, at most three, in table order; none when even the closest is far off.
    /// </summary>
    public static IReadOnlyList<string> Nearest(string name)
    {
        if (name.Length > MaxComparedLength)
        {
            return [];
        }

        var ranked = HankoEventNames.All.Select((known, index) => (Name: known, Index: index, Distance: Distance(name, known))).ToArray();
        var best = ranked.Min(r => r.Distance);
        if (best > Math.Max(2, name.Length / 3))
        {
            return [];
        }

        return [.. ranked.Where(r => r.Distance <= best + 1).OrderBy(r => r.Distance).ThenBy(r => r.Index).Take(MaxSuggestions).Select(r => r.Name)];
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive.</summary>
    internal static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();

        // Three rows of the distance table: i - 2, i - 1 and i.
        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], before[j - 2] + 1);
                }
            }

            (before, previous, current) = (previous, current, before);
        }

        return previous[b.Length];
    }
}
