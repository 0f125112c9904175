using System.Reflection;
using System.Runtime.CompilerServices;
using FluentAssertions;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>The add-on talks to the core through its public API only, as a Functions or Lambda host would.</summary>
public sealed class PublicApiOnlyTests
{
    private static readonly Assembly Core = typeof(IHankoWebhookReceiver).Assembly;
    private static readonly Assembly AspNetCore = typeof(Microsoft.AspNetCore.Builder.HankoWebhookEndpointRouteBuilderExtensions).Assembly;

    [Test]
    public void Core_OpensItsInternalsToNoShippedPackage()
    {
        var friends = Core.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName.Split(',')[0]).ToArray();

        friends.Should().NotContain(AspNetCore.GetName().Name);
        friends.Should().OnlyContain(name => name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Benchmarks", StringComparison.Ordinal),
            "only test and benchmark assemblies may see the core's internals");
    }

    [Test]
    public void AspNetCore_ReferencesNoInternalTypeOfTheCore()
    {
        // Every type the add-on's code names, from its members' signatures and bodies' metadata: none may be a non-public core type.
        var used = AspNetCore.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .SelectMany(TypesOf)
            .Concat(AspNetCore.GetTypes().SelectMany(t => t.GetInterfaces().Append(t.BaseType ?? typeof(object))))
            .Where(t => t.Assembly == Core)
            .Distinct()
            .ToArray();

        used.Should().NotBeEmpty("the add-on does use the core");
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
