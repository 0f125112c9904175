using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests;

/// <summary>
/// What the Admin API client does not trust: answers larger than the biggest real one, and redirects (to another origin
/// above all, which would get the API key and whose answer would be taken for Hanko's).
/// </summary>
public sealed class AdminApiAnswerTrustTests
{
    private static readonly string[] EveryEvent = [.. typeof(HankoEventNames).GetFields().Select(f => (string)f.GetValue(null)!)];

    private FakeHanko _hanko = null!;
    private FakeHankoAdminApi _admin = null!;
    private FakeHankoAdminApi _other = null!;

    [SetUp]
    public async Task Start()
    {
        _hanko = new FakeHanko();
        _admin = await FakeHankoAdminApi.StartAsync(_hanko);
        _other = await FakeHankoAdminApi.StartAsync(_hanko);
        _other.AddHook("https://attacker.example/hook", ["user"]);
    }

    [TearDown]
    public async Task Stop()
    {
        await _other.DisposeAsync();
        await _admin.DisposeAsync();
        _hanko.Dispose();
    }

    private ServiceProvider Services(Action<IServiceCollection>? after = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json")
            .AddSubscriptions(o => { o.AdminApiUrl = _admin.BaseAddress.ToString(); o.ApiKey = "hk_test_key"; });
        after?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private void AddHooksWithEveryEvent(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _admin.AddHook($"https://app{i}.example.com/webhooks/hanko", EveryEvent);
        }
    }

    [Test]
    public async Task List_FiftyHooksWithEveryEvent_IsRead()
    {
        AddHooksWithEveryEvent(50);
        await using var services = Services();

        var list = await services.GetRequiredService<IHankoWebhookSubscriptions>().ListAsync();

        list.Database.Should().HaveCount(50).And.OnlyContain(h => h.Events.Count == EveryEvent.Length);
    }

    [TestCase(false, TestName = "List_OneMegabyteAnswerWithoutLength_FailsNamingTheLimit")]
    [TestCase(true, TestName = "List_OneMegabyteAnswerWithItsLength_FailsNamingTheLimit")]
    public async Task List_AnswerLargerThanTheLimit_FailsNamingTheLimit(bool declareLength)
    {
        AddHooksWithEveryEvent(450);
        using var http = new HttpClient();
        var body = await http.GetByteArrayAsync(new Uri(_admin.BaseAddress, "webhooks"));
        body.Length.Should().BeGreaterThan(1_000_000, "the answer is a valid list of about 1 MB");
        _admin.Intercept = async context =>
        {
            context.Response.ContentType = "application/json; charset=UTF-8";
            if (declareLength)
            {
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body);
            }
            else
            {
                // Chunked, in pieces: nothing declares the size.
                foreach (var piece in body.Chunk(16 * 1024))
                {
                    await context.Response.Body.WriteAsync(piece);
                    await context.Response.Body.FlushAsync();
                }
            }

            return true;
        };
        await using var services = Services();

        var error = await FluentActions.Awaiting(() => services.GetRequiredService<IHankoWebhookSubscriptions>().ListAsync())
            .Should().ThrowAsync<HankoAdminApiException>();

        error.Which.Message.Should().Contain("larger than 262144 bytes").And.Contain("GET webhooks");
    }

    [TestCase(HttpStatusCode.MovedPermanently)]
    [TestCase(HttpStatusCode.Found)]
    [TestCase(HttpStatusCode.TemporaryRedirect)]
    [TestCase(HttpStatusCode.PermanentRedirect)]
    public async Task AnyCall_RedirectToAnotherOrigin_FailsNamingItAndNeverAsksIt(HttpStatusCode status)
    {
        RedirectEverythingTo(_other, status);
        await using var services = Services();
        var api = services.GetRequiredService<IHankoWebhookSubscriptions>();

        var list = await FluentActions.Awaiting(() => api.ListAsync()).Should().ThrowAsync<HankoAdminApiException>();
        var create = await FluentActions.Awaiting(() => api.CreateAsync("https://app.example.com/hook", ["user"])).Should().ThrowAsync<HankoAdminApiException>();

        var origin = _other.BaseAddress.GetLeftPart(UriPartial.Authority);
        list.Which.StatusCode.Should().Be(status);
        list.Which.Message.Should().Be(
            $"Hanko's Admin API answered GET webhooks with a redirect ({(int)status}) to {origin}. The SDK follows no redirect (the request carries the API key, and the answer would not be Hanko's): set AdminApiUrl to the final address.");
        create.Which.Message.Should().Contain($"to {origin}");
        _other.Requests.Should().BeEmpty("the other origin is never contacted");
    }

    [Test]
    public async Task Redirect_WithTheAppsOwnPrimaryHandlers_IsStillNotFollowed()
    {
        RedirectEverythingTo(_other, HttpStatusCode.TemporaryRedirect);

        // A handler replaced after AddSubscriptions (default: follows redirects), and one wrapped in the app's proxy handler.
        await using var replaced = Services(s => s.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler()));
        await using var wrapped = Services(s => s.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new ProxyTokenHandler { InnerHandler = new SocketsHttpHandler() }));

        foreach (var services in new[] { replaced, wrapped })
        {
            await FluentActions.Awaiting(() => services.GetRequiredService<IHankoWebhookSubscriptions>().ListAsync())
                .Should().ThrowAsync<HankoAdminApiException>().WithMessage("*answered GET webhooks with a redirect (307)*");
        }

        _other.Requests.Should().BeEmpty();
    }

    [Test]
    public async Task Redirect_FollowedByAHandlerTheSdkCannotConfigure_ItsAnswerIsNotTrusted()
    {
        RedirectEverythingTo(_other, HttpStatusCode.Found);
        await using var services = Services(s => s.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SelfFollowingHandler()));

        var error = await FluentActions.Awaiting(() => services.GetRequiredService<IHankoWebhookSubscriptions>().ListAsync())
            .Should().ThrowAsync<HankoAdminApiException>();

        _other.Requests.Should().ContainSingle("this handler followed the redirect by itself");
        error.Which.Message.Should().Be(
            $"Hanko's Admin API answered GET webhooks with a redirect to {_other.BaseAddress.GetLeftPart(UriPartial.Authority)}, which the named HttpClient's handler followed; its answer is not used. The SDK follows no redirect (the request carries the API key, and the answer would not be Hanko's): set AdminApiUrl to the final address.");
    }

    private void RedirectEverythingTo(FakeHankoAdminApi target, HttpStatusCode status) => _admin.Intercept = context =>
    {
        context.Response.StatusCode = (int)status;
        context.Response.Headers.Location = new Uri(target.BaseAddress, context.Request.Path.Value!.TrimStart('/')).ToString();
        return Task.FromResult(true);
    };

    /// <summary>What a self-hosted admin server behind a proxy needs: a header, and the socket handler inside.</summary>
    private sealed class ProxyTokenHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Proxy-Token", "proxy");
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A handler of its own kind (no AllowAutoRedirect to turn off) that follows a redirect, as HttpClientHandler does.</summary>
    private sealed class SelfFollowingHandler : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _inner = new(new SocketsHttpHandler { AllowAutoRedirect = false });

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await _inner.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                response.Dispose();
                request.RequestUri = new Uri(request.RequestUri!, location);
                response = await _inner.SendAsync(request, cancellationToken);
            }

            return response;
        }

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
