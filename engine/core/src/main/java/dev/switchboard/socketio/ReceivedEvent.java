package dev.switchboard.socketio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.switchboard.socketio.parser.Packet;

/** An EVENT received from a client: name, arguments and the (single) ack it may want. */
final class ReceivedEvent implements Event {
    private final SocketImpl socket;
    private final String name;
    private final List<JsonNode> args;
    private final long ackId;
    private final AtomicBoolean acked = new AtomicBoolean();

    private ReceivedEvent(SocketImpl socket, String name, List<JsonNode> args, long ackId) {
        this.socket = socket;
        this.name = name;
        this.args = args;
        this.ackId = ackId;
    }

    /** From a decoded EVENT whose data the decoder validated: a non-empty array led by a string or number. */
    static ReceivedEvent of(SocketImpl socket, Packet packet) {
        JsonNode data = packet.data();
        JsonNode first = data.get(0);
        String name = first.isTextual() ? first.textValue() : first.asText();
        List<JsonNode> args;
        if (data.size() == 1) {
            args = List.of();
        } else {
            List<JsonNode> list = new ArrayList<>(data.size() - 1);
            for (int i = 1; i < data.size(); i++) {
                list.add(data.get(i));
            }
            args = Collections.unmodifiableList(list);
        }
        return new ReceivedEvent(socket, name, args, packet.ackId());
    }

    @Override
    public Socket socket() {
        return socket;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<JsonNode> args() {
        return args;
    }

    @Override
    public JsonNode arg(int index) {
        return index >= 0 && index < args.size() ? args.get(index) : MissingNode.getInstance();
    }

    @Override
    public boolean wantsAck() {
        return ackId >= 0;
    }

    @Override
    public void ack(Object... ackArgs) {
        if (ackId >= 0 && acked.compareAndSet(false, true)) {
            socket.sendAck(ackId, ackArgs);
        }
    }

    @Override
    public String toString() {
        return "Event[" + name + ", args=" + args.size() + (ackId >= 0 ? ", ack=" + ackId : "") + "]";
    }
}
