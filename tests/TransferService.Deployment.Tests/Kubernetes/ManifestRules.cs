using k8s.Models;

namespace TransferService.Deployment.Tests.Kubernetes;

/// <summary>What neither schema checks: that the objects fit together (selectors, ports, the autoscaler's target and
/// metric), and what this service needs of them (one replica per data volume, probes, limits, non-root).</summary>
public static class ManifestRules
{
    private static readonly string[] MetricTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];

    /// <summary>Every broken rule, one line each; empty when all hold.</summary>
    public static IReadOnlyList<string> Check(Manifests manifests)
    {
        var problems = new List<string>();
        var deployments = manifests.Objects.OfType<V1Deployment>().ToArray();
        foreach (var deployment in deployments) CheckDeployment(deployment, problems);
        foreach (var service in manifests.Objects.OfType<V1Service>())
        {
            if (!deployments.Any(d => Selects(service.Spec.Selector, d)))
                problems.Add($"Service {service.Name()}: its selector matches no Deployment's pods");
            if (service.Spec.IpFamilyPolicy != "PreferDualStack")
                problems.Add($"Service {service.Name()}: ipFamilyPolicy is not PreferDualStack");
            var containerPorts = deployments.SelectMany(d => d.Spec.Template.Spec.Containers).SelectMany(c => c.Ports ?? []).ToArray();
            foreach (var port in service.Spec.Ports)
                if (!containerPorts.Any(p => p.Name == port.TargetPort.Value || p.ContainerPort.ToString() == port.TargetPort.Value))
                    problems.Add($"Service {service.Name()}: targetPort {port.TargetPort.Value} is no container's port");
        }
        foreach (var budget in manifests.Objects.OfType<V1PodDisruptionBudget>())
            if (!deployments.Any(d => Selects(budget.Spec.Selector.MatchLabels, d)))
                problems.Add($"PodDisruptionBudget {budget.Name()}: its selector matches no Deployment's pods");
        foreach (var policy in manifests.Objects.OfType<V1NetworkPolicy>())
            if (!deployments.Any(d => Selects(policy.Spec.PodSelector.MatchLabels, d)))
                problems.Add($"NetworkPolicy {policy.Name()}: its podSelector matches no Deployment's pods");
        foreach (var autoscaler in manifests.Objects.OfType<V2HorizontalPodAutoscaler>())
            CheckAutoscaler(autoscaler, deployments, problems);
        return problems;
    }

    private static void CheckDeployment(V1Deployment deployment, List<string> problems)
    {
        var name = $"Deployment {deployment.Name()}";
        var pod = deployment.Spec.Template.Spec;
        if (!Selects(deployment.Spec.Selector.MatchLabels, deployment))
            problems.Add($"{name}: selector does not match its pod template's labels");
        if (HoldsDataVolume(deployment) && (deployment.Spec.Replicas is not 1 || deployment.Spec.Strategy?.Type != "Recreate"))
            problems.Add($"{name}: a pod with a persistent data volume must run alone (replicas 1, strategy Recreate): the job store locks the folder");
        if (pod.SecurityContext?.RunAsNonRoot != true) problems.Add($"{name}: pods may run as root");
        foreach (var container in pod.Containers)
        {
            var where = $"{name}, container {container.Name}";
            foreach (var resource in new[] { "cpu", "memory" })
                if (container.Resources?.Requests?.ContainsKey(resource) != true || container.Resources?.Limits?.ContainsKey(resource) != true)
                    problems.Add($"{where}: no {resource} request and limit");
            foreach (var (kind, probe) in new[] { ("startup", container.StartupProbe), ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe) })
                if (probe?.Grpc is null || !(container.Ports ?? []).Any(p => p.ContainerPort == probe.Grpc.Port))
                    problems.Add($"{where}: the {kind} probe is not a gRPC health check on a container port");
            if (container.SecurityContext?.ReadOnlyRootFilesystem != true || container.SecurityContext.AllowPrivilegeEscalation != false)
                problems.Add($"{where}: the root filesystem is writable or privileges may escalate");
        }
    }

    private static void CheckAutoscaler(V2HorizontalPodAutoscaler autoscaler, V1Deployment[] deployments, List<string> problems)
    {
        var name = $"HorizontalPodAutoscaler {autoscaler.Name()}";
        var target = autoscaler.Spec.ScaleTargetRef;
        var deployment = deployments.FirstOrDefault(d => target.Kind == "Deployment" && d.Name() == target.Name);
        if (deployment is null) problems.Add($"{name}: scales {target.Kind} {target.Name}, which is not among the manifests");
        else if (HoldsDataVolume(deployment)) problems.Add($"{name}: scales a Deployment whose pods share one persistent data volume");
        if (deployment?.Spec.Replicas is not null) problems.Add($"{name}: its Deployment sets replicas, which every apply would reset");
        foreach (var metric in autoscaler.Spec.Metrics ?? [])
        {
            // The API accepts any string here and fails only when the controller reads it.
            var sources = new (string Type, object? Source)[]
            {
                ("ContainerResource", metric.ContainerResource), ("External", metric.External), ("Object", metric.ObjectProperty),
                ("Pods", metric.Pods), ("Resource", metric.Resource),
            };
            if (!MetricTypes.Contains(metric.Type)) problems.Add($"{name}: metric type {metric.Type} is not one of {string.Join(", ", MetricTypes)}");
            else if (sources.Any(s => (s.Type == metric.Type) != (s.Source is not null)))
                problems.Add($"{name}: a {metric.Type} metric must fill exactly its own '{char.ToLowerInvariant(metric.Type[0])}{metric.Type[1..]}' block");
        }
    }

    private static bool HoldsDataVolume(V1Deployment deployment) =>
        (deployment.Spec.Template.Spec.Volumes ?? []).Any(v => v.PersistentVolumeClaim is not null);

    private static bool Selects(IDictionary<string, string>? selector, V1Deployment deployment)
    {
        var labels = deployment.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>();
        return selector is { Count: > 0 } && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }
}
