using System.Runtime.CompilerServices;
using ArchUnitNET.Domain;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using ArchUnitNET.Loader;
using ArchUnitNET.NUnit;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using ArchitectureModel = ArchUnitNET.Domain.Architecture;

namespace Hanko.Webhooks.Tests.Architecture;

/// <summary>
/// The layers of the core and the seams of the packages (ARCHITECTURE.md), held by rules over the compiled assemblies, so
/// that the next back edge fails the build. A layer of the core is a first-level source folder (<see cref="CoreFolders"/>).
/// </summary>
public sealed class LayerTests
{
    private static readonly System.Reflection.Assembly Core = typeof(HankoEvent).Assembly;

    private static readonly System.Reflection.Assembly[] AddOns =
    [
        typeof(HankoWebhookEndpointOptions).Assembly,
        typeof(HankoRedisOptions).Assembly,
        typeof(HankoDevConsoleBuilderExtensions).Assembly,
        typeof(HankoWebhookSubscriptionOptions).Assembly,
        typeof(FakeHanko).Assembly,
    ];

    private static readonly Lazy<ArchitectureModel> Model = new(() => new ArchLoader().LoadAssemblies([Core, .. AddOns]).Build());

    /// <summary>The one back edge allowed: the payload models name their JSON converters in attributes.</summary>
    private static readonly (string From, string To) AllowedBackEdge = ("Models", "Serialization");

    private static CoreFolders Folders => CoreFolders.Instance;

    [TestCase("Events", "Models")]
    [TestCase("Models", "Serialization")]
    public void DataFolders_DependOnNothingButData(string folder, string allowed) =>
        TypesIn(folder).Should().NotDependOnAny(TypesOutside(folder, allowed))
            .Because($"{folder} is data: the event table keeps names and types, Serialization reads payloads, Handling builds handler slots")
            .Check(Model.Value);

    [Test]
    public void Diagnostics_IsALeaf_ItTakesNamesAndNumbers() =>
        TypesIn("Diagnostics").Should().NotDependOnAny(TypesOutside("Diagnostics"))
            .Because("callers name what they decided; Diagnostics maps no domain result")
            .Check(Model.Value);

    [Test]
    public void CoreFolders_HaveNoCycle_ButTheModelsJsonAttributes()
    {
        var edges = FolderEdges();
        edges.Remove(AllowedBackEdge);

        var cycles = Cycles(edges.Keys).Select(c => string.Join(" -> ", c) + " -> " + c[0]
            + " (" + string.Join("; ", c.Select((f, i) => $"{f} -> {c[(i + 1) % c.Count]}: {edges[(f, c[(i + 1) % c.Count])]}")) + ")");
        cycles.Should().BeEmpty("a folder may use the folders below it only; the one exception is {0} -> {1} (JSON attributes)", AllowedBackEdge.From, AllowedBackEdge.To);
    }

    [Test]
    public void EveryCoreType_BelongsToAFolder()
    {
        // Otherwise a rule above could pass because a type was missed.
        var unmapped = Model.Value.Types
            .Where(t => t.Assembly.FullName == Core.FullName && t.FullName.StartsWith("Hanko.Webhooks", StringComparison.Ordinal))
            .Where(t => !t.FullName.Contains('<', StringComparison.Ordinal) && !t.FullName.Contains("__", StringComparison.Ordinal))
            .Where(t => Folders.FolderOf(t) is null)
            .Select(t => t.FullName);

        unmapped.Should().BeEmpty();
        Folders.Folders.Should().Contain(["Events", "Models", "Serialization", "Diagnostics", "Handling", "Verification", "Receiving"]);
    }

    [Test]
    public void AddOnPackages_SeeNoInternalsOfTheCore()
    {
        var friends = Core.GetCustomAttributes(typeof(InternalsVisibleToAttribute), inherit: false)
            .Cast<InternalsVisibleToAttribute>().Select(a => a.AssemblyName);

        friends.Should().NotContain(AddOns.Select(a => a.GetName().Name!), "packages talk through public API only");
    }

    [Test]
    public void AddOnPackages_UseTheCoresPublicTypesOnly()
    {
        foreach (var addOn in AddOns)
        {
            // A source file an add-on compiles itself (a linked file) is its own internal type, not the core's, though the
            // model knows a full name once.
            var internals = Types().That().FollowCustomPredicate(
                t => t.Assembly?.FullName == Core.FullName && t.FullName.StartsWith("Hanko.Webhooks", StringComparison.Ordinal) && !IsPublic(t)
                     && addOn.GetType(t.FullName) is null,
                $"are internal types of the core that {addOn.GetName().Name} does not compile itself");
            Types().That().FollowCustomPredicate(t => t.Assembly?.FullName == addOn.FullName, $"are in {addOn.GetName().Name}")
                .Should().NotDependOnAny(internals)
                .Check(Model.Value);
        }
    }

    private static bool IsPublic(IType type) =>
        type.Visibility == Visibility.Public && (type is not { IsNested: true } || Model.Value.Types.FirstOrDefault(t => t.FullName == type.FullName[..type.FullName.LastIndexOf('+')]) is not { } outer || IsPublic(outer));

    private static GivenTypesConjunction TypesIn(string folder) =>
        Types().That().FollowCustomPredicate(t => t.Assembly.FullName == Core.FullName && Folders.FolderOf(t) == folder, $"are in the core's {folder} folder");

    private static GivenTypesConjunction TypesOutside(string folder, string? allowed = null) =>
        Types().That().FollowCustomPredicate(
            t => t.Assembly.FullName == Core.FullName && Folders.FolderOf(t) is { } other && other != folder && other != allowed,
            $"are in another core folder than {folder}{(allowed is null ? string.Empty : " or " + allowed)}");

    /// <summary>Folder → folder dependencies of the compiled core, with up to three example type pairs each.</summary>
    private static Dictionary<(string From, string To), string> FolderEdges()
    {
        var examples = new Dictionary<(string, string), List<string>>();
        foreach (var type in Model.Value.Types.Where(t => t.Assembly.FullName == Core.FullName))
        {
            if (Folders.FolderOf(type) is not { } from)
            {
                continue;
            }

            foreach (var dependency in type.Dependencies)
            {
                if (dependency.Target.Assembly?.FullName == Core.FullName && Folders.FolderOf(dependency.Target) is { } to && to != from)
                {
                    var list = examples.TryGetValue((from, to), out var existing) ? existing : examples[(from, to)] = [];
                    var pair = $"{type.Name} uses {dependency.Target.Name}";
                    if (list.Count < 3 && !list.Contains(pair))
                    {
                        list.Add(pair);
                    }
                }
            }
        }

        return examples.ToDictionary(e => e.Key, e => string.Join(", ", e.Value));
    }

    /// <summary>The strongly connected components with more than one folder (Tarjan), each as a cycle through its folders.</summary>
    private static List<List<string>> Cycles(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var to in next.GetValueOrDefault(node) ?? [])
            {
                if (!index.TryGetValue(to, out var toIndex))
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
                else if (stack.Contains(to))
                {
                    low[node] = Math.Min(low[node], toIndex);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    components.Add(OneCycle(component, next));
                }
            }
        }

        foreach (var node in next.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    /// <summary>A cycle through the first folder of a component, found by a breadth-first search inside it.</summary>
    private static List<string> OneCycle(List<string> component, Dictionary<string, List<string>> next)
    {
        var start = component.Order(StringComparer.Ordinal).First();
        var previous = new Dictionary<string, string>();
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var to in next.GetValueOrDefault(node) ?? [])
            {
                if (to == start)
                {
                    var cycle = new List<string> { node };
                    while (cycle[^1] != start)
                    {
                        cycle.Add(previous[cycle[^1]]);
                    }

                    cycle.Reverse();
                    return cycle;
                }

                if (component.Contains(to) && to != start && previous.TryAdd(to, node))
                {
                    queue.Enqueue(to);
                }
            }
        }

        return component;
    }
}
