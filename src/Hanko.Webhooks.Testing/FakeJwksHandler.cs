using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Hanko.Webhooks.Testing;

/// <summary>Answers every GET with the fake's JWKS, as Hanko's <c>/.well-known/jwks.json</c> does, or fails as <see cref="FakeHanko.JwksBehavior"/> says.</summary>
internal sealed class FakeJwksHandler(FakeHanko hanko) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        hanko.CountJwksRequest();
        if (request.Method != HttpMethod.Get)
        {
            return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed) { RequestMessage = request };
        }

        switch (hanko.JwksBehavior)
        {
            case FakeJwksBehavior.ServerError:
                return Json(request, HttpStatusCode.InternalServerError, """{"code":500,"message":"Internal Server Error"}""", cache: false);
            case FakeJwksBehavior.InvalidJson:
                return Json(request, HttpStatusCode.OK, "<html>not json", cache: false);
            case FakeJwksBehavior.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                throw new OperationCanceledException(cancellationToken); // unreachable: Delay only ends by cancellation
            case FakeJwksBehavior.Empty:
                return Json(request, HttpStatusCode.OK, """{"keys":[]}""", cache: true);
            default:
                return Json(request, HttpStatusCode.OK, hanko.GetJwksJson(), cache: true);
        }
    }

    private HttpResponseMessage Json(HttpRequestMessage request, HttpStatusCode status, string json, bool cache)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = new HttpResponseMessage(status) { Content = content, RequestMessage = request };
        if (cache && hanko.JwksMaxAge is { } maxAge)
        {
            response.Headers.TryAddWithoutValidation(
                "Cache-Control",
                "max-age=" + ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }
}
