using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Hanko.Webhooks.Internal;

/// <summary>
/// Reads one options property from configuration, the way the configuration binder does for that type: a key that is
/// absent (or empty, for a value type) keeps the current value, an empty one sets a nullable value to null (so a project's
/// section can switch off what the shared section set); a value that does not parse fails with the key's path and the type. No reflection, so binding needs no source generator and is safe to trim and compile ahead of time. Linked
/// into the Subscriptions package, which binds its options the same way.
/// </summary>
internal static class ConfigurationValues
{
    public static string? String(this IConfiguration section, string key, string? current) => section[key] ?? current;

    public static bool Boolean(this IConfiguration section, string key, bool current) =>
        section.Parse(key, current, static value => bool.Parse(value));

    public static int Int32(this IConfiguration section, string key, int current) =>
        section.Parse(key, current, static value => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture));

    public static TimeSpan TimeSpan(this IConfiguration section, string key, TimeSpan current) =>
        section.Parse(key, current, static value => System.TimeSpan.Parse(value, CultureInfo.InvariantCulture));

    public static TimeSpan? TimeSpan(this IConfiguration section, string key, TimeSpan? current) =>
        section[key] is "" ? null : section.Parse(key, current, static value => System.TimeSpan.Parse(value, CultureInfo.InvariantCulture));

    public static TEnum Enum<TEnum>(this IConfiguration section, string key, TEnum current)
        where TEnum : struct, Enum =>
        section.Parse(key, current, static value => System.Enum.Parse<TEnum>(value, ignoreCase: true));

    /// <summary>The children of <paramref name="key"/> (<c>Key:0</c>, <c>Key:1</c>, …) appended to the current list, as the binder does.</summary>
    public static IList<string>? List(this IConfiguration section, string key, IList<string>? current)
    {
        foreach (var child in section.GetSection(key).GetChildren())
        {
            if (child.Value is { } value)
            {
                (current ??= new List<string>()).Add(value);
            }
        }

        return current;
    }

    private static T Parse<T>(this IConfiguration section, string key, T current, Func<string, T> parse)
    {
        var value = section[key];
        if (string.IsNullOrEmpty(value))
        {
            return current;
        }

        try
        {
            return parse(value);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidOperationException($"Failed to convert configuration value '{value}' at '{section.GetSection(key).Path}' to type '{typeof(T)}'.", e);
        }
    }
}
