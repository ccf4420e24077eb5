package dev.switchboard.bench;

import java.util.Arrays;

import dev.switchboard.bench.floor.FloorServer;
import dev.switchboard.bench.loadgen.LoadGen;

/** {@code java -jar bench-harness.jar loadgen|floor key=value ...}. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: loadgen mode=idle|fanout|hold|cluster key=value... | floor wsPort=N apiPort=N");
            System.exit(2);
        }
        Args rest = Args.parse(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "loadgen" -> System.exit(LoadGen.run(rest));
            case "floor" -> FloorServer.run(rest);
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }
}
