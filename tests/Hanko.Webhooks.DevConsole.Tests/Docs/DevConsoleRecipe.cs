using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Sample;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests.Docs;

[NonParallelizable]
public sealed class DevConsoleRecipe
{
    #region readme-devconsole-recipe
    [Test]
    public async Task NewUser_IsAddedToTheDirectory_AndAStolenSessionTokenIsRefused()
    {
        // Program calls AddHankoWebhooks().UseDevelopmentHanko(); the factory runs it in Development.
        await using var app = new WebApplicationFactory<Program>();
        using var client = app.CreateClient();
        var hanko = app.Services.GetRequiredService<HankoDevelopmentHanko>().Hanko; // the key the app trusts

        var delivery = hanko.CreateDelivery("user.create",
            o => o.EditData = user => user["emails"]![0]!["address"] = "new.user@example.com");
        var response = await client.PostAsync("/webhooks/hanko", delivery.ToHttpContent());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var directory = app.Services.GetRequiredService<UserDirectory>();
        directory.Count.Should().Be(1);

        var forged = await client.PostAsync("/webhooks/hanko", hanko.CreateSessionTokenDelivery().ToHttpContent());
        forged.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        directory.Count.Should().Be(1);
    }
    #endregion
}
