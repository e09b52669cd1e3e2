using OpenTelemetry.Metrics;

namespace TransferService.Tests.Telemetry;

/// <summary>Reads exported metric points by their attributes: the points of a snapshot whose attributes include every
/// (key, value) given, compared as text (an int attribute matches 0 or "0").</summary>
public static class MetricPoints
{
    public static double Sum(MetricSnapshot metric, params (string Key, object Value)[] tags) =>
        Matching(metric, tags).Sum(p => metric.MetricType == MetricType.LongSum ? p.GetSumLong() : p.GetSumDouble());

    public static (long Count, double Sum) Histograms(MetricSnapshot metric, params (string Key, object Value)[] tags)
    {
        var points = Matching(metric, tags).ToArray();
        return (points.Sum(p => p.GetHistogramCount()), points.Sum(p => p.GetHistogramSum()));
    }

    public static double[] Gauges(MetricSnapshot metric, params (string Key, object Value)[] tags) =>
        Matching(metric, tags).Select(p => metric.MetricType == MetricType.LongGauge ? p.GetGaugeLastValueLong() : p.GetGaugeLastValueDouble()).ToArray();

    public static IEnumerable<string> Attributes(MetricPoint point)
    {
        foreach (var attribute in point.Tags) yield return $"{attribute.Key}={attribute.Value}";
    }

    private static IEnumerable<MetricPoint> Matching(MetricSnapshot metric, (string Key, object Value)[] tags) =>
        metric.MetricPoints.Where(point => tags.All(tag => Has(point, tag)));

    private static bool Has(MetricPoint point, (string Key, object Value) tag)
    {
        foreach (var attribute in point.Tags)
            if (attribute.Key == tag.Key && attribute.Value?.ToString() == tag.Value.ToString()) return true;
        return false;
    }
}
