package dev.switchboard.emitapi;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One validated broadcast: {@code namespace.to(rooms).except(except)[.droppable()].emit(event, data)}.
 *
 * @param rooms  empty = every socket of the namespace
 * @param data   null when the body had no {@code data} (the event is sent without arguments)
 */
public record EmitRequest(String namespace, List<String> rooms, List<String> except, String event, JsonNode data,
                          boolean volatileFlag) {
}
