package dev.switchboard.namespaces.system;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OSFileStore;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Takes stats samples of this host with OSHI. Rates (CPU load, network bytes/s, process CPU) are measured
 * between two consecutive samples of the same probe, so each sampler (interval) owns one probe.
 * Not thread-safe: one sampler thread calls it.
 */
final class HostProbe {
    private final HardwareAbstractionLayer hardware;
    private final OperatingSystem os;
    private final CentralProcessor cpu;
    private final int topProcesses;

    private long[] lastCpuTicks;
    private long[][] lastCoreTicks;
    private final Map<String, long[]> lastNetwork = new HashMap<>(); // iface -> {rx, tx, timestampMs}
    private Map<Integer, OSProcess> lastProcesses = Map.of();

    HostProbe(SystemInfo systemInfo, int topProcesses) {
        this.hardware = systemInfo.getHardware();
        this.os = systemInfo.getOperatingSystem();
        this.cpu = hardware.getProcessor();
        this.topProcesses = topProcesses;
    }

    /** Records the counters rates are measured from; the first sample then covers one full interval. */
    void prime(Set<Metric> metrics) {
        if (metrics.contains(Metric.CPU)) {
            lastCpuTicks = cpu.getSystemCpuLoadTicks();
            lastCoreTicks = cpu.getProcessorCpuLoadTicks();
        }
        if (metrics.contains(Metric.NETWORK)) {
            network();
        }
        if (metrics.contains(Metric.PROCESSES)) {
            processes();
        }
    }

    /** One sample holding exactly {@code metrics} besides timestamp and interval. */
    Map<String, Object> sample(long interval, Set<Metric> metrics) {
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("timestamp", System.currentTimeMillis());
        sample.put("interval", interval);
        for (Metric metric : metrics) {
            switch (metric) {
                case CPU -> sample.put("cpu", cpu());
                case MEMORY -> sample.put("memory", memory());
                case SWAP -> sample.put("swap", swap());
                case DISKS -> sample.put("disks", disks());
                case NETWORK -> sample.put("network", network());
                case LOAD -> sample.put("load", load());
                case UPTIME -> sample.put("uptime", os.getSystemUptime());
                case PROCESSES -> sample.put("processes", processes());
            }
        }
        return sample;
    }

    private Map<String, Object> cpu() {
        long[] ticks = cpu.getSystemCpuLoadTicks();
        long[][] coreTicks = cpu.getProcessorCpuLoadTicks();
        double total = lastCpuTicks == null ? 0 : cpu.getSystemCpuLoadBetweenTicks(lastCpuTicks);
        double[] cores = lastCoreTicks == null || lastCoreTicks.length != coreTicks.length
                ? new double[coreTicks.length]
                : cpu.getProcessorCpuLoadBetweenTicks(lastCoreTicks);
        lastCpuTicks = ticks;
        lastCoreTicks = coreTicks;
        List<Double> corePercents = new ArrayList<>(cores.length);
        for (double core : cores) {
            corePercents.add(percent(core));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", percent(total));
        out.put("cores", corePercents);
        return out;
    }

    private Map<String, Object> memory() {
        GlobalMemory memory = hardware.getMemory();
        long total = memory.getTotal();
        long available = memory.getAvailable();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("used", Math.max(0, total - available));
        out.put("available", available);
        return out;
    }

    private Map<String, Object> swap() {
        VirtualMemory virtual = hardware.getMemory().getVirtualMemory();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", virtual.getSwapTotal());
        out.put("used", virtual.getSwapUsed());
        return out;
    }

    private List<Map<String, Object>> disks() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (OSFileStore store : os.getFileSystem().getFileStores(true)) {
            long total = store.getTotalSpace();
            if (total <= 0) {
                continue; // pseudo file systems
            }
            Map<String, Object> disk = new LinkedHashMap<>();
            disk.put("mount", store.getMount());
            disk.put("total", total);
            disk.put("used", Math.max(0, total - store.getFreeSpace()));
            out.add(disk);
        }
        return out;
    }

    private List<Map<String, Object>> network() {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, long[]> seen = new HashMap<>();
        for (NetworkIF iface : hardware.getNetworkIFs(true)) {
            long rx = iface.getBytesRecv();
            long tx = iface.getBytesSent();
            long now = iface.getTimeStamp();
            long[] last = lastNetwork.get(iface.getName());
            double rxRate = 0;
            double txRate = 0;
            if (last != null && now > last[2]) {
                double seconds = (now - last[2]) / 1000.0;
                rxRate = Math.max(0, rx - last[0]) / seconds;
                txRate = Math.max(0, tx - last[1]) / seconds;
            }
            seen.put(iface.getName(), new long[] {rx, tx, now});
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("iface", iface.getName());
            entry.put("rxBytesPerSec", Math.round(rxRate));
            entry.put("txBytesPerSec", Math.round(txRate));
            out.add(entry);
        }
        lastNetwork.clear();
        lastNetwork.putAll(seen);
        return out;
    }

    private List<Double> load() {
        double[] averages = cpu.getSystemLoadAverage(3);
        List<Double> out = new ArrayList<>(3);
        for (double average : averages) {
            out.add(average < 0 ? null : Math.round(average * 100) / 100.0);
        }
        return out;
    }

    /** Top processes by CPU since the previous sample, as a share of the whole machine (0..100). */
    private List<Map<String, Object>> processes() {
        List<OSProcess> all = os.getProcesses(null, null, 0);
        Map<Integer, OSProcess> byPid = new HashMap<>(all.size() * 2);
        int cores = Math.max(1, cpu.getLogicalProcessorCount());
        List<Object[]> loads = new ArrayList<>(all.size());
        for (OSProcess process : all) {
            byPid.put(process.getProcessID(), process);
            OSProcess previous = lastProcesses.get(process.getProcessID());
            double load = previous == null ? 0 : process.getProcessCpuLoadBetweenTicks(previous) / cores;
            loads.add(new Object[] {process, load});
        }
        lastProcesses = byPid;
        loads.sort((a, b) -> Double.compare((double) b[1], (double) a[1]));
        List<Map<String, Object>> out = new ArrayList<>(topProcesses);
        for (int i = 0; i < Math.min(topProcesses, loads.size()); i++) {
            OSProcess process = (OSProcess) loads.get(i)[0];
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("pid", process.getProcessID());
            entry.put("name", process.getName());
            entry.put("cpu", percent((double) loads.get(i)[1]));
            entry.put("memory", process.getResidentMemory());
            out.add(entry);
        }
        return out;
    }

    private static double percent(double fraction) {
        double clamped = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        return Math.round(clamped * 1000) / 10.0;
    }
}
