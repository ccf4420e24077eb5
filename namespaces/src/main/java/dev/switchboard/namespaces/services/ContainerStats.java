package dev.switchboard.namespaces.services;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;

/**
 * Maps one Docker stats sample to the {@code stats} payload: {@code {container, time, cpuPercent,
 * memory: {usage, limit, percent}, network: {rxBytes, txBytes}, blockIo: {readBytes, writeBytes}, pids}}.
 * CPU % is computed like {@code docker stats}: container CPU delta over system CPU delta times online CPUs;
 * memory usage excludes the page cache (cgroup v2 {@code inactive_file}, v1 {@code cache}).
 */
final class ContainerStats {
    private ContainerStats() {
    }

    static Map<String, Object> payload(String container, Statistics s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("container", container);
        out.put("time", s.getRead());
        out.put("cpuPercent", cpuPercent(s.getCpuStats(), s.getPreCpuStats()));

        MemoryStatsConfig mem = s.getMemoryStats();
        long usage = 0;
        long limit = 0;
        if (mem != null) {
            usage = nz(mem.getUsage());
            if (mem.getStats() != null) {
                Long cache = mem.getStats().getInactiveFile() != null ? mem.getStats().getInactiveFile() : mem.getStats().getCache();
                usage = Math.max(0, usage - nz(cache));
            }
            limit = nz(mem.getLimit());
        }
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("usage", usage);
        memory.put("limit", limit);
        memory.put("percent", limit > 0 ? round2(usage * 100.0 / limit) : 0.0);
        out.put("memory", memory);

        long rx = 0;
        long tx = 0;
        if (s.getNetworks() != null) {
            for (StatisticNetworksConfig n : s.getNetworks().values()) {
                rx += nz(n.getRxBytes());
                tx += nz(n.getTxBytes());
            }
        }
        out.put("network", Map.of("rxBytes", rx, "txBytes", tx));

        long read = 0;
        long write = 0;
        List<BlkioStatEntry> io = s.getBlkioStats() == null ? null : s.getBlkioStats().getIoServiceBytesRecursive();
        if (io != null) {
            for (BlkioStatEntry e : io) {
                if ("read".equalsIgnoreCase(e.getOp())) {
                    read += nz(e.getValue());
                } else if ("write".equalsIgnoreCase(e.getOp())) {
                    write += nz(e.getValue());
                }
            }
        }
        out.put("blockIo", Map.of("readBytes", read, "writeBytes", write));
        out.put("pids", s.getPidsStats() == null ? 0L : nz(s.getPidsStats().getCurrent()));
        return out;
    }

    static double cpuPercent(CpuStatsConfig now, CpuStatsConfig before) {
        if (now == null || before == null || now.getCpuUsage() == null || before.getCpuUsage() == null) {
            return 0.0;
        }
        long cpuDelta = nz(now.getCpuUsage().getTotalUsage()) - nz(before.getCpuUsage().getTotalUsage());
        long systemDelta = nz(now.getSystemCpuUsage()) - nz(before.getSystemCpuUsage());
        if (cpuDelta <= 0 || systemDelta <= 0) {
            return 0.0;
        }
        long cpus = nz(now.getOnlineCpus());
        if (cpus == 0 && now.getCpuUsage().getPercpuUsage() != null) {
            cpus = now.getCpuUsage().getPercpuUsage().size();
        }
        return round2((double) cpuDelta / systemDelta * Math.max(1, cpus) * 100.0);
    }

    private static long nz(Long value) {
        return value == null ? 0 : value;
    }

    private static double round2(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
