using System.Reflection;
using System.Text;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using TransferService.Core.Errors;

namespace TransferService.Grpc;

/// <summary>Receives a generated <c>BindService</c>'s methods and adds them to grpc-dotnet with a request marshaller
/// that turns a message Google.Protobuf cannot decode into InvalidArgument. grpc-dotnet decodes a unary request
/// before any interceptor runs and reports every exception other than <see cref="RpcException"/> as Unknown.</summary>
internal sealed class DecodingServiceBinder<TService>(ServiceMethodProviderContext<TService> context, Type serviceBase)
    : ServiceBinderBase where TService : class
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        context.AddUnaryMethod(Decoding(method), Metadata(method.Name, out var handlerMethod),
            Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(handlerMethod));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        context.AddClientStreamingMethod(Decoding(method), Metadata(method.Name, out var handlerMethod),
            Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(handlerMethod));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        context.AddServerStreamingMethod(Decoding(method), Metadata(method.Name, out var handlerMethod),
            Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(handlerMethod));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        context.AddDuplexStreamingMethod(Decoding(method), Metadata(method.Name, out var handlerMethod),
            Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(handlerMethod));

    /// <summary>The same method with a request deserializer that refuses undecodable bytes as bad input.</summary>
    public static Method<TRequest, TResponse> Decoding<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        var deserialize = method.RequestMarshaller.ContextualDeserializer;
        var requests = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, payload =>
        {
            try { return deserialize(payload); }
            catch (InvalidProtocolBufferException) { throw Undecodable("the request message is not valid protobuf for this method"); }
            catch (DecoderFallbackException) { throw Undecodable("a string field of the request message is not valid UTF-8"); }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);
    }

    private static RpcException Undecodable(string message) =>
        ErrorInterceptor.ToStatus(TransferException.Invalid("request", message)).ToRpcException();

    /// <summary>As grpc-dotnet's own binder: the service's attributes, then the method's (higher priority), then POST.</summary>
    private List<object> Metadata(string name, out MethodInfo handlerMethod)
    {
        handlerMethod = FindHandler(name);
        var metadata = new List<object>(typeof(TService).GetCustomAttributes(inherit: true));
        metadata.AddRange(handlerMethod.GetCustomAttributes(inherit: true));
        metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
        return metadata;
    }

    /// <summary>The override of the generated base method <paramref name="name"/> (the base method itself, which
    /// answers Unimplemented, when the service does not override it).</summary>
    private MethodInfo FindHandler(string name) =>
        typeof(TService).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(m => m.Name == name && m.GetBaseDefinition().DeclaringType == serviceBase)
        ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {name}");

    private static TDelegate Invoker<TDelegate>(MethodInfo handlerMethod) where TDelegate : Delegate =>
        (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handlerMethod);
}
