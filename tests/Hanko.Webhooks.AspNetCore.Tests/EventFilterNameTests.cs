using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// An endpoint's event filter names events Hanko has: a name that is neither an event nor a group would answer every delivery
/// 200 "filtered" and dispatch none, so <c>MapHankoWebhooks</c> refuses it and suggests the nearest known names.
/// </summary>
public sealed class EventFilterNameTests
{
    [TestCase("user.craete", "user.create")]
    [TestCase("User.Create", "user.create")]
    [TestCase("users", "user")]
    [TestCase("email.sent", "email.send")]
    [TestCase("sesion.delete", "session.delete")]
    [TestCase("session.delete.passive.expired", "session.delete.passive.expire")]
    [TestCase("user.update.emial", "user.update.email")]
    public async Task MapHankoWebhooks_FilterNameWithATypo_ThrowsAndSuggestsTheNearestName(string typo, string nearest)
    {
        await using var app = Build();

        var act = () => app.MapHankoWebhooks("/webhooks/hanko/users", o => o.AcceptEvents(HankoEventNames.User, typo));

        act.Should().Throw<ArgumentException>()
            .WithMessage($"The event filter of the Hanko webhook endpoint /webhooks/hanko/users names an event Hanko does not have: \"{typo}\": did you mean \"{nearest}\"*?*")
            .Which.Message.Should().Contain("answered 200 and never dispatched").And.Contain("HankoEventNames");
        MappedPatterns(app).Should().BeEmpty("nothing is mapped");
    }

    [Test]
    public async Task MapHankoWebhooks_SeveralUnknownNames_AreAllListed_FarOnesWithWhereTheTreeStarts()
    {
        await using var app = Build();

        var act = () => app.MapHankoWebhooks("/hooks", o => o.AcceptEvents("user.craete", "invoice.paid", "session"));

        act.Should().Throw<ArgumentException>().WithMessage(
            "The event filter of the Hanko webhook endpoint /hooks names events Hanko does not have: \"user.craete\": did you mean \"user.create\"?; "
            + "\"invoice.paid\": no known name is close (the event tree starts at user, email.send, session). *");
    }

    [Test]
    public async Task MapHankoWebhooks_EveryEventAndGroupName_IsAccepted()
    {
        await using var app = Build();

        foreach (var name in HankoEventNames.All)
        {
            app.MapHankoWebhooks("/hooks/" + name, o => o.AcceptEvents(name));
        }

        app.MapHankoWebhooks("/hooks/mixed", o => o.AcceptEvents("user", "session.delete", "user.update"));
        MappedPatterns(app).Should().HaveCount(HankoEventNames.All.Count + 1);
    }

    private static WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddHankoWebhooks(o => { o.JwksUrl = "https://hanko.test/.well-known/jwks.json"; o.Audience = "localhost"; });
        return builder.Build();
    }

    private static IEnumerable<string?> MappedPatterns(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText);
}
