# TransferService container image.
#
# One image serves GPU and CPU-only nodes: the service ships ONNX Runtime's GPU build, whose CUDA execution
# provider is used when a GPU and driver are visible; otherwise sessions fall back to the CPU EP.

# Runtime base: CUDA 13 runtime + cuDNN 9 (ONNX Runtime 1.31's CUDA EP links libcudart.so.13/libcublas.so.13).
# The .NET runtime is copied from the Ubuntu 24.04 (noble) ASP.NET image, the same release as the CUDA base.
ARG CUDA_IMAGE=nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04
ARG DOTNET_SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG DOTNET_RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble

# ---- build -------------------------------------------------------------------------------------------------
FROM ${DOTNET_SDK_IMAGE} AS build
WORKDIR /src

# Restore first, from the project files alone, so the package layer is cached until a dependency changes.
# BuiltinModels.targets is imported by the Onnx project and declares the model packages, so it belongs here.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY services/TransferService.Core/TransferService.Core.csproj services/TransferService.Core/
COPY services/TransferService.Onnx/TransferService.Onnx.csproj services/TransferService.Onnx/BuiltinModels.targets services/TransferService.Onnx/
COPY services/TransferService/TransferService.csproj services/TransferService/
RUN dotnet restore services/TransferService/TransferService.csproj -r linux-x64

COPY . .
# The output includes builtin-models/ (~150 MB of model files from NuGet packages); the service installs
# them into the data folder's model repository on first start, so they must ship with the app.
RUN dotnet publish services/TransferService/TransferService.csproj -c Release -r linux-x64 --self-contained false \
        --no-restore -o /app

# ---- ASP.NET Core runtime, to be copied onto the CUDA base ----------------------------------------------------
FROM ${DOTNET_RUNTIME_IMAGE} AS dotnet

# ---- runtime -----------------------------------------------------------------------------------------------
FROM ${CUDA_IMAGE} AS runtime

# What the .NET runtime needs from the OS (zlib is bundled since .NET 9). SkiaSharp uses its
# NoDependencies native build, so no fontconfig. libicu74/libssl3t64 are the Ubuntu 24.04 package names:
# change them together with CUDA_IMAGE if it moves to another release.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libicu74 libssl3t64 tzdata \
    && rm -rf /var/lib/apt/lists/*

COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet \
    PATH=/usr/share/dotnet:$PATH \
    ASPNETCORE_URLS=http://0.0.0.0:50051 \
    Service__DataFolder=/data \
    Security__RequireApiKeys=true \
    Security__EnableReflection=false \
    MALLOC_ARENA_MAX=2 \
    DOTNET_GCHeapHardLimitPercent=0x32
# Memory of a long-running container: what stays after a burst is mostly native. glibc's per-thread malloc arenas
# are limited to two (MALLOC_ARENA_MAX); the managed heap is capped at 50 % (0x32) of the container's memory limit,
# leaving the rest to ONNX Runtime and image decoding. Lanes__CpuMemoryArena=false also drops ONNX Runtime's CPU
# arena: ~570 MiB less kept after a burst on 2 cores, for ~9 % less throughput at saturation (see README).
# Every call but health needs an API key: create the first admin key on the data volume with
#   docker compose run --rm transfer keys create --tenant ops --role admin

# Non-root; uid 10001 is what the Kubernetes manifests' securityContext expects. /data is created and owned
# here so that a fresh named volume inherits the ownership.
RUN groupadd --gid 10001 transfer \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin transfer \
    && mkdir -p /data && chown 10001:10001 /data

WORKDIR /app
COPY --from=build /app ./

USER 10001:10001
VOLUME ["/data"]
EXPOSE 50051
ENTRYPOINT ["dotnet", "TransferService.dll"]
