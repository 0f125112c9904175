using FluentAssertions;
using Hanko.Webhooks.Redis.Internal;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>The options of the multiplexers the package makes from a configuration string (never the app's own from DI).</summary>
public sealed class SdkMultiplexerOptionsTests
{
    [Test]
    public void OptionsFor_KeepsWhatTheStringSays_NeverAbortsOnAFailedConnect_RepliesOnTheThreadPool()
    {
        var options = SharedMultiplexer.OptionsFor("sentinel-a:26379,sentinel-b:26379,serviceName=mymaster,password=secret,ssl=true,abortConnect=true,connectTimeout=1234");

        options.EndPoints.Select(e => e.ToString()).Should().Equal("Unspecified/sentinel-a:26379", "Unspecified/sentinel-b:26379");
        (options.ServiceName, options.Password, options.Ssl, options.ConnectTimeout).Should().Be(("mymaster", "secret", true, 1234));
        options.AbortOnConnectFail.Should().BeFalse("the package keeps trying when Redis is not there yet at start");
        options.SocketManager.Should().BeSameAs(SocketManager.ThreadPool, "the package calls Redis only asynchronously: StackExchange.Redis's own threads would add a thread switch per reply");
    }
}
