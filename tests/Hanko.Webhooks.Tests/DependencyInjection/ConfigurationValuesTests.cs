using FluentAssertions;
using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.DependencyInjection;

/// <summary>The options reader reads a value as the configuration binder does: absent keeps, empty clears a nullable, bad fails with the path.</summary>
public sealed class ConfigurationValuesTests
{
    private static IConfiguration Section(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(value is null ? [] : new Dictionary<string, string?> { ["Hanko:Interval"] = value }).Build().GetSection("Hanko");

    [Test]
    public void NullableTimeSpan_Absent_KeepsTheCurrentValue() =>
        Section(null).TimeSpan("Interval", (TimeSpan?)TimeSpan.FromMinutes(5)).Should().Be(TimeSpan.FromMinutes(5));

    [Test]
    public void NullableTimeSpan_Empty_IsNull_SoAProjectSectionCanSwitchOffWhatTheSharedOneSet() =>
        Section("").TimeSpan("Interval", (TimeSpan?)TimeSpan.FromMinutes(5)).Should().BeNull();

    [Test]
    public void NullableTimeSpan_Set_IsParsed() =>
        Section("00:00:30").TimeSpan("Interval", (TimeSpan?)null).Should().Be(TimeSpan.FromSeconds(30));

    [Test]
    public void TimeSpan_Empty_KeepsTheCurrentValue() =>
        Section("").TimeSpan("Interval", TimeSpan.FromMinutes(5)).Should().Be(TimeSpan.FromMinutes(5));

    [Test]
    public void NullableTimeSpan_NotATimeSpan_FailsNamingThePathAndTheType() =>
        FluentActions.Invoking(() => Section("soon").TimeSpan("Interval", (TimeSpan?)null)).Should().Throw<InvalidOperationException>()
            .WithMessage("Failed to convert configuration value 'soon' at 'Hanko:Interval' to type 'System.Nullable`1[System.TimeSpan]'.");
}
