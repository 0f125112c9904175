using System.Net;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// Metadata an end user writes (as deep as Hanko lets it be) reaches the handler in each processing mode of the endpoint
/// (durable mode: Hanko.Webhooks.Redis.Tests; the development console: Hanko.Webhooks.DevConsole.Tests).
/// </summary>
public sealed class DeepMetadataTests
{
    [Test]
    public async Task Inline_GenuineUserUpdateWithUnsafeMetadata1400LevelsDeep_IsHandledBeforeThe200_MetadataIntact()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<UserHandler>());

        using var response = await t.PostAsync(DeepMetadata.UserUpdate(t.Hanko));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var update = t.Recorder.Calls.Should().ContainSingle().Which.Event.Should().BeOfType<UserUpdateEvent>().Subject;
        DeepMetadata.UnsafeOf(update).Should().Be(DeepMetadata.Json);
        update.RawData.GetProperty("metadata").GetProperty("unsafe_metadata").GetRawText().Should().Be(DeepMetadata.Json);
    }

    [Test]
    public async Task Background_GenuineUserUpdateWithUnsafeMetadata1400LevelsDeep_IsAnswered202AndHandled_MetadataIntact()
    {
        await using var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing().AddHandler<UserHandler>());

        using var response = await t.PostAsync(DeepMetadata.UserUpdate(t.Hanko));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        await t.Recorder.WaitForAsync(r => r.Calls.Count == 1, "the queued event is handled");
        var update = t.Recorder.Calls[0].Event.Should().BeOfType<UserUpdateEvent>().Subject;
        DeepMetadata.UnsafeOf(update).Should().Be(DeepMetadata.Json);
        t.Logged(111).Should().BeFalse("no handler failed");
    }
}
