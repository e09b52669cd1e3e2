# TransferService container images: two targets, one image name (transfer-service), one tag per target.
#
#   docker build --target cpu  -t transfer-service:cpu  .    # default target; ASP.NET runtime base, CPU ONNX Runtime
#   docker build --target cuda -t transfer-service:cuda .    # CUDA 13 + cuDNN base, GPU ONNX Runtime (falls back on CPU)
#
# Both publish for linux-x64 only, run as uid 10001 (what the Kubernetes securityContext expects), keep their
# state in /data and answer Docker's HEALTHCHECK with the grpc.health.v1 probe shipped in /app/probe.
# The cpu image carries the CPU build of ONNX Runtime's natives (~20 MB) instead of the GPU build (~300 MB of CUDA
# providers), and no CUDA libraries: see docs/deployment.md for the sizes.

ARG DOTNET_SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG DOTNET_RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble
# ONNX Runtime 1.31's CUDA EP links libcudart.so.13/libcublas.so.13 and cuDNN 9. The .NET runtime is copied onto
# it from the Ubuntu 24.04 (noble) ASP.NET image, the same release as this base.
ARG CUDA_IMAGE=nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04

# ---- source: project files first, so each target's package layer is cached until a dependency changes ----------
FROM ${DOTNET_SDK_IMAGE} AS source
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY services/TransferService.Core/TransferService.Core.csproj services/TransferService.Core/
COPY services/TransferService.Jobs.Sqlite/TransferService.Jobs.Sqlite.csproj services/TransferService.Jobs.Sqlite/
# BuiltinModels.targets declares the model packages, so it belongs to the restore.
COPY services/TransferService.Onnx/TransferService.Onnx.csproj services/TransferService.Onnx/BuiltinModels.targets services/TransferService.Onnx/
COPY services/TransferService/TransferService.csproj services/TransferService/
COPY services/TransferService.HealthProbe/TransferService.HealthProbe.csproj services/TransferService.HealthProbe/
RUN dotnet restore services/TransferService.HealthProbe/TransferService.HealthProbe.csproj -r linux-x64

# ---- build: the service (with builtin-models/, ~150 MB, installed into /data/models on first start) and the probe.
# OnnxRuntimeNatives (see the Onnx csproj) picks ONNX Runtime's CPU or GPU natives; the two stages differ only there.
FROM source AS build-cpu
RUN dotnet restore services/TransferService/TransferService.csproj -r linux-x64 -p:OnnxRuntimeNatives=cpu
COPY protos/ protos/
COPY services/ services/
RUN dotnet publish services/TransferService/TransferService.csproj -c Release -r linux-x64 --self-contained false --no-restore -p:OnnxRuntimeNatives=cpu -o /app \
    && dotnet publish services/TransferService.HealthProbe/TransferService.HealthProbe.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app/probe

FROM source AS build-cuda
RUN dotnet restore services/TransferService/TransferService.csproj -r linux-x64 -p:OnnxRuntimeNatives=gpu
COPY protos/ protos/
COPY services/ services/
RUN dotnet publish services/TransferService/TransferService.csproj -c Release -r linux-x64 --self-contained false --no-restore -p:OnnxRuntimeNatives=gpu -o /app \
    && dotnet publish services/TransferService.HealthProbe/TransferService.HealthProbe.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app/probe

# ---- cuda ----------------------------------------------------------------------------------------------------
FROM ${DOTNET_RUNTIME_IMAGE} AS dotnet
FROM ${CUDA_IMAGE} AS cuda
# What the .NET runtime needs from the OS (zlib is bundled since .NET 9); SkiaSharp uses its NoDependencies build.
# libicu74/libssl3t64 are Ubuntu 24.04's names: change them together with CUDA_IMAGE.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libicu74 libssl3t64 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 transfer \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin transfer \
    && mkdir -p /data && chown 10001:10001 /data
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
# Settings shared with the cpu target below; see there for why.
ENV DOTNET_ROOT=/usr/share/dotnet \
    PATH=/usr/share/dotnet:$PATH \
    ASPNETCORE_URLS=http://+:50051 \
    ASPNETCORE_HTTP_PORTS= \
    Service__DataFolder=/data \
    Security__RequireApiKeys=true \
    Security__EnableReflection=false \
    MALLOC_ARENA_MAX=2 \
    DOTNET_GCHeapHardLimitPercent=0x32
WORKDIR /app
COPY --from=build-cuda /app ./
USER 10001:10001
VOLUME ["/data"]
EXPOSE 50051
HEALTHCHECK --interval=30s --timeout=10s --start-period=5m --retries=3 CMD ["dotnet", "/app/probe/TransferService.HealthProbe.dll"]
ENTRYPOINT ["dotnet", "TransferService.dll"]

# ---- cpu (last, so a plain `docker build .` makes the small image) --------------------------------------------
FROM ${DOTNET_RUNTIME_IMAGE} AS cpu
# Non-root; /data is created and owned here so that a fresh named volume inherits the ownership.
RUN groupadd --gid 10001 transfer \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin transfer \
    && mkdir -p /data && chown 10001:10001 /data
# ASPNETCORE_URLS "+" listens on IPv6 and IPv4 (one dual-stack socket), or IPv4 alone where the node has no IPv6.
# Memory of a long-running container: what stays after a burst is mostly native. glibc's per-thread malloc arenas
# are limited to two (MALLOC_ARENA_MAX); the managed heap is capped at 50 % (0x32) of the container's memory limit,
# leaving the rest to ONNX Runtime and image decoding. Lanes__CpuMemoryArena=false also drops ONNX Runtime's CPU
# arena: ~570 MiB less kept after a burst on 2 cores, for ~9 % less throughput at saturation (see README).
# Every call but health needs an API key: create the first admin key on the data volume with
#   docker compose run --rm transfer keys create --tenant ops --role admin
ENV ASPNETCORE_URLS=http://+:50051 \
    ASPNETCORE_HTTP_PORTS= \
    Service__DataFolder=/data \
    Security__RequireApiKeys=true \
    Security__EnableReflection=false \
    MALLOC_ARENA_MAX=2 \
    DOTNET_GCHeapHardLimitPercent=0x32
WORKDIR /app
COPY --from=build-cpu /app ./
USER 10001:10001
VOLUME ["/data"]
EXPOSE 50051
# The probe reads the port from ASPNETCORE_URLS; the start period covers the first start's backbone install.
HEALTHCHECK --interval=30s --timeout=10s --start-period=5m --retries=3 CMD ["dotnet", "/app/probe/TransferService.HealthProbe.dll"]
ENTRYPOINT ["dotnet", "TransferService.dll"]
