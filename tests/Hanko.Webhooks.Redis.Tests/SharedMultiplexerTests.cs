using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using Hanko.Webhooks.Redis.Internal;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// The multiplexer the package makes from a configuration string: one connect, whether the host's start or a first use
/// asks first. A server that accepts connections and never answers keeps the connect running long enough to race it.
/// </summary>
public sealed class SharedMultiplexerTests
{
    [Test]
    public async Task AFirstUseWhileTheStartConnects_WaitsForThatConnect_OneMultiplexer()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var shared = new SharedMultiplexer($"127.0.0.1:{port},connectTimeout=600,connectRetry=1");

        var start = shared.ConnectAsync();
        start.IsCompleted.Should().BeFalse("the silent server keeps the connect running");
        var duringStart = await Task.Run(() => shared.Multiplexer);
        await start;

        duringStart.Should().BeSameAs(shared.Multiplexer, "a use during the start's connect gets the multiplexer that connect made, not one of its own");
        duringStart.IsConnected.Should().BeFalse();
    }

    [Test]
    public void Disposed_DisposesTheMultiplexerItMade_AndMakesNoOther()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var shared = new SharedMultiplexer($"127.0.0.1:{port},connectTimeout=300,connectRetry=1");
        var multiplexer = shared.Multiplexer;

        shared.Dispose();

        FluentActions.Invoking(() => multiplexer.GetDatabase().Ping()).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => shared.Multiplexer).Should().Throw<ObjectDisposedException>("a use after dispose must not connect a new multiplexer nobody disposes");
    }
}
