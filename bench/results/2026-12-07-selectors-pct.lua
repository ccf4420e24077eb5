done = function(summary, latency, requests)
  local s = ""
  for _, p in ipairs({50, 90, 95, 98, 99, 99.5, 99.9}) do s = s .. string.format("p%s=%.2fms ", p, latency:percentile(p)/1000) end
  io.write("PCT " .. s .. "\n")
end
