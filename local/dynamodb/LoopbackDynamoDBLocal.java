// Starts the official DynamoDB Local engine bound to 127.0.0.1 only.
//
// DynamoDB Local's own launcher (ServerRunner.main) gives Jetty a port but no host, so it listens on
// every interface, and it has no option to change that. This launcher builds the server through
// DynamoDB Local's public factory, sets the host of its Jetty connector to the loopback address
// before starting it, and then runs it exactly as ServerRunner would. Run it as a single-file source
// program (java -cp <DynamoDBLocal.jar and its lib> LoopbackDynamoDBLocal.java <ServerRunner args>).
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
    // The harness reads this line to learn the port (the command line may ask for port 0).
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    System.out.println("SWITCHBOARD_DYNAMODB_LISTENING 127.0.0.1:" + port);
    proxy.join();
  }
}
