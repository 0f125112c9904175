using System.Globalization;
using System.Reflection;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.DependencyInjection;

/// <summary>
/// The options are bound from configuration by hand-written code (no binding generator, no reflection binder): every public
/// settable property of each options class must be read from its key, and values are parsed the way the configuration
/// binder parses them.
/// </summary>
public sealed class OptionsBindingTests
{
    [Test]
    public void AddHankoWebhooks_EverySettableOption_IsReadFromItsKey()
    {
        var (values, expected) = ValuesDifferentFromTheDefaults<HankoWebhookOptions>(HankoWebhookOptions.SectionName);
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(Configuration(values));
        services.AddHankoWebhooks();

        var bound = Configure<HankoWebhookOptions>(services, Options.DefaultName);

        foreach (var (property, value) in expected)
        {
            property.GetValue(bound).Should().BeEquivalentTo(value, $"{property.Name} is read from {HankoWebhookOptions.SectionName}:{property.Name}");
        }
    }

    [Test]
    public void AddSubscriptions_EverySettableOption_IsReadFromItsKey()
    {
        var (values, expected) = ValuesDifferentFromTheDefaults<HankoWebhookSubscriptionOptions>(HankoWebhookSubscriptionOptions.SectionName);
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(Configuration(values));
        services.AddHankoWebhooks().AddSubscriptions();

        var bound = Configure<HankoWebhookSubscriptionOptions>(services, Options.DefaultName);

        foreach (var (property, value) in expected)
        {
            property.GetValue(bound).Should().BeEquivalentTo(value, $"{property.Name} is read from {HankoWebhookSubscriptionOptions.SectionName}:{property.Name}");
        }
    }

    [Test]
    public void AddHankoWebhooks_KeysAbsentOrEmpty_KeepTheDefaults()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(Configuration(new()
        {
            ["Hanko:Webhooks:ClockSkew"] = "",
            ["Hanko:Webhooks:ReplayProtection"] = "",
        }));
        services.AddHankoWebhooks();

        var bound = Configure<HankoWebhookOptions>(services, Options.DefaultName);

        bound.Should().BeEquivalentTo(new HankoWebhookOptions());
    }

    [Test]
    public void AddHankoWebhooks_ValuesParsedAsTheConfigurationBinderDoes()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(Configuration(new()
        {
            ["Hanko:Webhooks:ClockSkew"] = "1.02:03:04",
            ["Hanko:Webhooks:ReplayProtection"] = "FALSE",
            ["Hanko:Webhooks:MaxBodyBytes"] = " 4096 ",
            ["Hanko:Webhooks:ReplayCacheFailureMode"] = "failclosed",
        }));
        services.AddHankoWebhooks();

        var bound = Configure<HankoWebhookOptions>(services, Options.DefaultName);

        bound.ClockSkew.Should().Be(new TimeSpan(1, 2, 3, 4));
        bound.ReplayProtection.Should().BeFalse();
        bound.MaxBodyBytes.Should().Be(4096);
        bound.ReplayCacheFailureMode.Should().Be(HankoReplayCacheFailureMode.FailClosed);
    }

    [TestCase("ClockSkew", "30 seconds", "System.TimeSpan")]
    [TestCase("MaxBodyBytes", "1MB", "System.Int32")]
    [TestCase("MaxBodyBytes", "99999999999", "System.Int32")]
    [TestCase("RequireHttpsJwks", "yes", "System.Boolean")]
    [TestCase("ReplayCacheFailureMode", "Sometimes", "Hanko.Webhooks.HankoReplayCacheFailureMode")]
    public void AddHankoWebhooks_AValueThatDoesNotParse_FailsNamingTheKeyAndTheType(string key, string value, string type)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(Configuration(new()
        {
            ["Hanko:Webhooks:" + key] = value,
        }));
        services.AddHankoWebhooks();
        using var provider = services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>().CurrentValue;

        read.Should().Throw<InvalidOperationException>()
            .WithMessage($"Failed to convert configuration value '{value}' at 'Hanko:Webhooks:{key}' to type '{type}'.");
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    /// <summary>Runs the registered configuration steps only (not post-configuration or validation) on new options.</summary>
    private static T Configure<T>(IServiceCollection services, string name)
        where T : class, new()
    {
        using var provider = services.BuildServiceProvider();
        var options = new T();
        foreach (var step in provider.GetServices<IConfigureOptions<T>>())
        {
            if (step is IConfigureNamedOptions<T> named)
            {
                named.Configure(name, options);
            }
            else
            {
                step.Configure(options);
            }
        }

        return options;
    }

    /// <summary>A configuration value for each public settable property that differs from its default, and the value it should bind to.</summary>
    private static (Dictionary<string, string?> Values, List<(PropertyInfo Property, object? Value)> Expected) ValuesDifferentFromTheDefaults<T>(string section)
        where T : new()
    {
        var defaults = new T();
        var values = new Dictionary<string, string?>();
        var expected = new List<(PropertyInfo, object?)>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var key = $"{section}:{property.Name}";
            var current = property.GetValue(defaults);
            object? value;
            switch (current)
            {
                case bool b:
                    value = !b;
                    values[key] = (!b).ToString();
                    break;
                case int i:
                    value = i + 1;
                    values[key] = (i + 1).ToString(CultureInfo.InvariantCulture);
                    break;
                case TimeSpan t:
                    value = t + TimeSpan.FromSeconds(7);
                    values[key] = (t + TimeSpan.FromSeconds(7)).ToString("c", CultureInfo.InvariantCulture);
                    break;
                case Enum e:
                    value = Enum.GetValues(e.GetType()).Cast<object>().First(v => !v.Equals(e));
                    values[key] = value.ToString()!.ToLowerInvariant();
                    break;
                case null when property.PropertyType == typeof(TimeSpan?):
                    value = TimeSpan.FromSeconds(42);
                    values[key] = "00:00:42";
                    break;
                case var _ when property.PropertyType == typeof(string):
                    value = "value of " + property.Name;
                    values[key] = (string)value;
                    break;
                case var _ when property.PropertyType == typeof(IList<string>):
                    value = new List<string> { "first", "second" };
                    values[key + ":0"] = "first";
                    values[key + ":1"] = "second";
                    break;
                default:
                    throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is a {property.PropertyType}: add a value for it here, and its line to the options' binder.");
            }

            expected.Add((property, value));
        }

        expected.Should().NotBeEmpty();
        return (values, expected);
    }
}
