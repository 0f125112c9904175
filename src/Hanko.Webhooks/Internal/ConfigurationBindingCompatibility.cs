// The namespace of the code the configuration binding generator writes, so that its calls find this method.
namespace Microsoft.Extensions.Configuration.Binder.SourceGeneration;

/// <summary>
/// Lets the binding code of the 10.x configuration binding generator (the first that works with the .NET 10 SDK's
/// compiler) compile against the 8.0 configuration libraries, so that a .NET 8 app keeps its own 8.0 versions instead of
/// being handed Microsoft.Extensions.Configuration* 10.x by this package. That code calls
/// <c>ConfigurationSection.TryGetValue</c>, an instance method added in 10.0; where it exists it is the same as this.
/// </summary>
internal static class ConfigurationBindingCompatibility
{
    /// <summary>The value of <paramref name="key"/> under <paramref name="section"/> (its own value for a <see langword="null"/> key).</summary>
    public static bool TryGetValue(this ConfigurationSection section, string? key, out string? value)
    {
        value = key is null ? section.Value : section[key];
        return value is not null;
    }
}
