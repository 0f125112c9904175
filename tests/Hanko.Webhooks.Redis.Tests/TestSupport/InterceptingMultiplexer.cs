using System.Reflection;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests.TestSupport;

/// <summary>
/// An app's <see cref="IConnectionMultiplexer"/> (as registered in DI) around a real one: every call goes to the real
/// multiplexer and its real Redis; <see cref="OnScript"/> sees each script call of its databases (what runs it, and may
/// change the answer Redis gave, to feed the SDK a malformed reply).
/// </summary>
#pragma warning disable CA1852 // DispatchProxy derives a class from these at run time: they must not be sealed
internal class InterceptingMultiplexer : DispatchProxy
{
    private IConnectionMultiplexer _inner = null!;
    private Func<object?, Task<RedisResult>, Task<RedisResult>> _onScript = (_, t) => t;

    /// <summary>Called for each <c>ScriptEvaluateAsync</c> with its script and the real call's task; returns what the caller gets.</summary>
    public Func<object?, Task<RedisResult>, Task<RedisResult>> OnScript { get => _onScript; set => _onScript = value; }

    public static IConnectionMultiplexer Around(IConnectionMultiplexer inner, out InterceptingMultiplexer interceptor)
    {
        var proxy = Create<IConnectionMultiplexer, InterceptingMultiplexer>();
        interceptor = (InterceptingMultiplexer)(object)proxy;
        interceptor._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var result = Forward(_inner, targetMethod!, args);
        return result is IDatabase database ? InterceptingDatabase.Around(database, this) : result;
    }

    internal static object? Forward(object target, MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}

/// <summary>The databases of <see cref="InterceptingMultiplexer"/>.</summary>
internal class InterceptingDatabase : DispatchProxy
{
    private IDatabase _inner = null!;
    private InterceptingMultiplexer _multiplexer = null!;

    public static IDatabase Around(IDatabase inner, InterceptingMultiplexer multiplexer)
    {
        var proxy = Create<IDatabase, InterceptingDatabase>();
        var interceptor = (InterceptingDatabase)(object)proxy;
        interceptor._inner = inner;
        interceptor._multiplexer = multiplexer;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var result = InterceptingMultiplexer.Forward(_inner, targetMethod!, args);
        return targetMethod!.Name == nameof(IDatabase.ScriptEvaluateAsync) && result is Task<RedisResult> call
            ? _multiplexer.OnScript(args![0], call)
            : result;
    }
}
#pragma warning restore CA1852
