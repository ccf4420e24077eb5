package dev.switchboard.namespaces.system;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a stats sample may contain; clients name them in lower case. */
public enum Metric {
    CPU, MEMORY, SWAP, DISKS, NETWORK, LOAD, UPTIME, PROCESSES;

    public static final Set<Metric> ALL = EnumSet.allOf(Metric.class);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The metric with this wire name, or null. */
    public static Metric byWireName(String name) {
        for (Metric metric : values()) {
            if (metric.wireName().equals(name)) {
                return metric;
            }
        }
        return null;
    }
}
