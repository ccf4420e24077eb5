import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.*;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.http.HttpHeader;

public class JettyFloor {
  static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(System.getenv("API_PORT"));
    int sel = Integer.parseInt(System.getenv().getOrDefault("API_SELECTORS", "2"));
    QueuedThreadPool pool = new QueuedThreadPool(16, 16);
    Server server = new Server(pool);
    ServerConnector c = new ServerConnector(server, 1, sel, new HttpConnectionFactory(new HttpConfiguration()));
    c.setHost("127.0.0.1"); c.setPort(port);
    server.addConnector(c);
    server.setHandler(new Handler.Abstract.NonBlocking() {
      public boolean handle(Request req, Response res, Callback cb) {
        Content.Source.asByteBufferAsync(req).whenComplete((body, err) -> {
          if (err != null) { cb.failed(err); return; }
          res.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
          res.write(true, ByteBuffer.wrap(OK), cb);
        });
        return true;
      }
    });
    server.start();
    server.join();
  }
}
