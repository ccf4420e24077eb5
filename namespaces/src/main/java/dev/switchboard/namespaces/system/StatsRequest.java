package dev.switchboard.namespaces.system;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.namespaces.core.ProducerException;

/** A validated {@code subscribe:stats} argument: {@code {interval?, metrics?}}. */
record StatsRequest(long interval, Set<Metric> metrics) {
    static final String BAD_REQUEST = "BAD_REQUEST";

    static StatsRequest parse(JsonNode arg, SystemSettings settings) throws ProducerException {
        if (arg.isMissingNode() || arg.isNull()) {
            return new StatsRequest(settings.defaultIntervalMs(), EnumSet.copyOf(Metric.ALL));
        }
        if (!arg.isObject()) {
            throw new ProducerException(BAD_REQUEST, "subscribe:stats expects an object {interval?, metrics?}");
        }
        long interval = arg.has("interval") && !arg.get("interval").isNull()
                ? parseInterval(arg.get("interval"), settings)
                : settings.defaultIntervalMs();
        return new StatsRequest(interval, parseMetrics(arg.get("metrics")));
    }

    static long parseInterval(JsonNode node, SystemSettings settings) throws ProducerException {
        if (!node.isNumber() || !node.canConvertToExactIntegral() || !node.canConvertToLong()) {
            throw new ProducerException(BAD_REQUEST, "interval must be a whole number of milliseconds, got " + abbreviate(node));
        }
        long interval = node.longValue();
        if (interval < settings.minIntervalMs() || interval > settings.maxIntervalMs()) {
            throw new ProducerException(BAD_REQUEST, "interval must be between " + settings.minIntervalMs() + " and "
                    + settings.maxIntervalMs() + " ms, got " + interval);
        }
        return interval;
    }

    private static Set<Metric> parseMetrics(JsonNode node) throws ProducerException {
        if (node == null || node.isNull()) {
            return EnumSet.copyOf(Metric.ALL);
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new ProducerException(BAD_REQUEST, "metrics must be a non-empty array of " + wireNames(Metric.ALL));
        }
        Set<Metric> metrics = EnumSet.noneOf(Metric.class);
        for (JsonNode item : node) {
            Metric metric = item.isTextual() ? Metric.byWireName(item.textValue()) : null;
            if (metric == null) {
                throw new ProducerException(BAD_REQUEST, "unknown metric " + abbreviate(item) + "; known: " + wireNames(Metric.ALL));
            }
            metrics.add(metric);
        }
        return metrics;
    }

    static List<String> wireNames(Set<Metric> metrics) {
        List<String> names = new ArrayList<>(metrics.size());
        for (Metric metric : metrics) {
            names.add(metric.wireName());
        }
        return names;
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
