using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using Hanko.Webhooks.Serialization;
using Hanko.Webhooks.Tests.TestSupport;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>
/// One handler cannot change what the next handler sees: every payload model is init-only, exposes no public field
/// and no mutable collection type, and the lists it is read into refuse changes even after a cast.
/// </summary>
[TestFixture]
public sealed class ModelImmutabilityTests
{
    private static readonly Type[] Roots =
        [typeof(HankoUser), typeof(HankoSession), typeof(HankoEmailMessage), typeof(PasscodeEmailData), typeof(SecurityNotificationEmailData), typeof(UnknownEmailData)];

    /// <summary>Every public class of the library reachable from a payload root through public properties.</summary>
    private static IEnumerable<Type> ModelTypes()
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(Roots);
        while (pending.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                var element = propertyType.IsGenericType ? propertyType.GetGenericArguments()[0] : propertyType;
                if (element.Assembly == typeof(HankoUser).Assembly && element.IsClass)
                {
                    pending.Enqueue(element);
                }
            }
        }

        return seen.OrderBy(t => t.Name);
    }

    private static IEnumerable<TestCaseData> ModelTypeCases() => ModelTypes().Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    [Test]
    public void ModelTypes_ReachFromThePayloadRoots_TheWholeModelGraph()
    {
        ModelTypes().Select(t => t.Name).Should().BeEquivalentTo(
            "HankoEmail", "HankoEmailData", "HankoEmailMessage", "HankoIdentity", "HankoOrganization", "HankoOrganizationRole", "HankoOtpCredential", "HankoPasswordCredential",
            "HankoSession", "HankoUser", "HankoUserMetadata", "HankoUsername", "HankoWebAuthnCredential",
            "PasscodeEmailData", "SecurityNotificationEmailData", "UnknownEmailData");
    }

    [TestCaseSource(nameof(ModelTypeCases))]
    public void ModelType_PublicSetters_AreInitOnly(Type type)
    {
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } setter
                        && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
            .Select(p => p.Name);

        settable.Should().BeEmpty("a handler must not be able to assign a property the next handler reads");
        type.GetFields(BindingFlags.Public | BindingFlags.Instance).Should().BeEmpty();
    }

    [TestCaseSource(nameof(ModelTypeCases))]
    public void ModelType_Collections_AreReadOnlyInterfaces(Type type)
    {
        var mutable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType))
            .Where(p => !p.PropertyType.IsGenericType || (p.PropertyType.GetGenericTypeDefinition() != typeof(IReadOnlyList<>) && p.PropertyType.GetGenericTypeDefinition() != typeof(IReadOnlyDictionary<,>)))
            .Select(p => $"{p.Name}: {p.PropertyType}");

        mutable.Should().BeEmpty("lists are exposed as IReadOnlyList<T> and maps as IReadOnlyDictionary<TKey, TValue> only");
    }

    private static IEnumerable<TestCaseData> PayloadFixtures()
        => Fixtures.UserFiles.Concat(Fixtures.SessionFiles).Concat(Fixtures.EmailFiles).Select(f => new TestCaseData(f).SetArgDisplayNames(f));

    [TestCaseSource(nameof(PayloadFixtures))]
    public void DeserializedFixture_EveryList_HasNoMutableTypeToCastTo(string file)
    {
        var data = Fixtures.Data(file);
        object model = Fixtures.Event(file) switch
        {
            var e when e.StartsWith("user.", StringComparison.Ordinal) => HankoPayloadSerializer.DeserializeUser(data),
            var e when e.StartsWith("session.", StringComparison.Ordinal) => HankoPayloadSerializer.DeserializeSession(data),
            _ => HankoPayloadSerializer.DeserializeEmailMessage(data),
        };

        var lists = new List<(string Path, IEnumerable List)>();
        CollectLists(model, "data", lists);

        foreach (var (path, list) in lists)
        {
            if (list is Array array)
            {
                array.Length.Should().Be(0, $"{path}: only the shared empty list may be an array");
                continue;
            }

            list.Should().NotBeAssignableTo<IList>(path).And.NotBeAssignableTo<IDictionary>(path);
            list.GetType().GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollection<>))
                .Should().BeEmpty($"{path}: a list must offer no mutable interface to cast to");
        }
    }

    [Test]
    public void DeserializedUser_Lists_AreNeitherListsNorArrays()
    {
        var user = HankoPayloadSerializer.DeserializeUser(Fixtures.Data("user.login.json"));

        user.Emails.Should().NotBeEmpty().And.NotBeAssignableTo<IList<HankoEmail>>().And.NotBeAssignableTo<HankoEmail[]>();
        user.WebAuthnCredentials.Should().NotBeEmpty().And.NotBeAssignableTo<IList<HankoWebAuthnCredential>>();
        user.WebAuthnCredentials[0].Transports.Should().NotBeEmpty().And.NotBeAssignableTo<IList<string>>().And.NotBeAssignableTo<string[]>();
    }

    [Test]
    public void ObjectInitializer_List_IsCopied_SoTheCallerCannotChangeItAfterwards()
    {
        var email = new HankoEmail { Address = "jane@example.com", IsPrimary = true };
        var emails = new List<HankoEmail> { email };

        var user = new HankoUser { Emails = emails };
        emails.Clear();

        user.Emails.Should().ContainSingle().Which.Should().BeSameAs(email);
        user.PrimaryEmail.Should().BeSameAs(email);
        user.Emails.Should().NotBeAssignableTo<ICollection<HankoEmail>>();
    }

    [Test]
    public void Readme_ModelInitializer_IsTheCodeThatRunsHere()
    {
        #region readme-model-initializer
        var user = new HankoUser
        {
            Id = Guid.NewGuid(),
            Emails = [new HankoEmail { Address = "jane@example.com", IsPrimary = true, IsVerified = true }],
        };
        #endregion

        user.PrimaryEmail!.Address.Should().Be("jane@example.com");
        FluentActions.Invoking(() => (IList<HankoEmail>)user.Emails).Should().Throw<InvalidCastException>();

        var root = MarkdownCodeBlocks.RepositoryRoot(TestContext.CurrentContext.TestDirectory);
        var source = File.ReadAllText(Path.Combine(root, "tests", "Hanko.Webhooks.Tests", "Models", "ModelImmutabilityTests.cs"));
        var code = Regex.Match(source, "#region readme-model-initializer\\n(?<code>.*?)#endregion", RegexOptions.Singleline);
        var shown = Regex.Match(MarkdownCodeBlocks.DocumentationText(root),
            "<!-- model-initializer:begin -->\\s*```csharp\\n(?<code>.*?)```\\s*<!-- model-initializer:end -->", RegexOptions.Singleline);
        code.Success.Should().BeTrue();
        shown.Success.Should().BeTrue("README.md or docs/events.md marks the example with model-initializer:begin/end");
        Lines(shown.Groups["code"].Value).Should().StartWith(Lines(code.Groups["code"].Value));
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    [Test]
    public void ObjectInitializer_AbsentOrNullValues_ReadAsTheWireDefaults()
    {
        var user = new HankoUser { Emails = null!, Identities = [] };

        user.Emails.Should().BeEmpty();
        user.Identities.Should().BeEmpty();
        user.WebAuthnCredentials.Should().BeEmpty();
        new HankoEmail { Address = null! }.Address.Should().Be("");
        new HankoWebAuthnCredential().Transports.Should().BeEmpty();
    }

    [Test]
    public void ReadOnlyListConverter_LongArray_KeepsEveryElementInOrder()
    {
        var transports = Enumerable.Range(0, 11).Select(i => $"t{i}").ToArray();
        var json = JsonSerializer.Serialize(new { id = "c1", transports });

        var credential = JsonSerializer.Deserialize(json, HankoJsonContext.Default.HankoWebAuthnCredential)!;

        credential.Transports.Should().Equal(transports);
        credential.Transports.Should().HaveCount(11);
        credential.Transports[10].Should().Be("t10");
        JsonSerializer.Serialize(credential, HankoJsonContext.Default.HankoWebAuthnCredential).Should().Contain("\"transports\":[\"t0\",\"t1\",");
    }

    [TestCase("""{"transports":null}""", 0)]
    [TestCase("""{"transports":[]}""", 0)]
    [TestCase("""{}""", 0)]
    public void ReadOnlyListConverter_NullEmptyOrAbsent_IsEmpty(string json, int count)
        => JsonSerializer.Deserialize(json, HankoJsonContext.Default.HankoWebAuthnCredential)!.Transports.Should().HaveCount(count);

    [TestCase("""{"transports":"usb"}""")]
    [TestCase("""{"transports":["usb",null]}""")]
    [TestCase("""{"transports":[1]}""")]
    public void ReadOnlyListConverter_NotAnArrayOfValues_Throws(string json)
        => FluentActions.Invoking(() => JsonSerializer.Deserialize(json, HankoJsonContext.Default.HankoWebAuthnCredential))
            .Should().Throw<JsonException>();

    private static void CollectLists(object? value, string path, List<(string, IEnumerable)> lists)
    {
        if (value is null || value.GetType().Assembly != typeof(HankoUser).Assembly)
        {
            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var child = property.GetValue(value);
            var childPath = $"{path}.{property.Name}";
            if (child is IEnumerable list and not string)
            {
                lists.Add((childPath, list));
                var i = 0;
                foreach (var item in list)
                {
                    CollectLists(item, $"{childPath}[{i++}]", lists);
                }
            }
            else if (child is not JsonElement)
            {
                CollectLists(child, childPath, lists);
            }
        }
    }
}
