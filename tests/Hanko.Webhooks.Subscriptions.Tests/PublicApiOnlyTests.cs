using System.Reflection;
using System.Runtime.CompilerServices;
using FluentAssertions;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests;

/// <summary>The Admin API package is built on the core's public API only, as any other package or host would be.</summary>
public sealed class PublicApiOnlyTests
{
    private static readonly Assembly Core = typeof(IHankoWebhookReceiver).Assembly;
    private static readonly Assembly Package = typeof(IHankoWebhookSubscriptions).Assembly;

    [Test]
    public void SubscriptionTypes_LiveInTheirOwnPackage_WhichTheCoreDoesNotOpenItsInternalsTo()
    {
        Package.GetName().Name.Should().Be("Hanko.Webhooks.Subscriptions");
        Core.GetTypes().Should().NotContain(t => t.Name.Contains("Subscription", StringComparison.Ordinal) || t.Name.Contains("AdminApi", StringComparison.Ordinal));
        Core.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName.Split(',')[0]).Should().NotContain(Package.GetName().Name);
    }

    [Test]
    public void Package_NamesNoInternalTypeOfTheCore()
    {
        var used = Package.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .SelectMany(TypesOf)
            .Concat(Package.GetTypes().SelectMany(t => t.GetInterfaces().Append(t.BaseType ?? typeof(object))))
            .Where(t => t.Assembly == Core)
            .Distinct()
            .ToArray();

        used.Should().NotBeEmpty("the package does use the core");
        used.Where(t => !(t.IsPublic || t.IsNestedPublic)).Should().BeEmpty();
    }

    private static IEnumerable<Type> TypesOf(MemberInfo member) => member switch
    {
        FieldInfo f => [f.FieldType],
        PropertyInfo p => [p.PropertyType],
        MethodBase m => m.GetParameters().Select(p => p.ParameterType).Concat(m is MethodInfo mi ? [mi.ReturnType] : []),
        _ => [],
    };
}
