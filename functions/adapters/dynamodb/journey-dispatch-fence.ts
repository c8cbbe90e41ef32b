/**
 * The journey dispatch fence (domain/routing/journey-dispatch-fence.ts) on the run items of the
 * messages table (`customer#<id>` / `journey#<journeyId>#<key>`, messages-table.ts).
 *
 * One conditional `UpdateItem` per journey message: `SET dispatched.<requestId>` (its first time
 * kept) and `version = version + 1`, on the condition that the item holds the same run, that the
 * run's `sendIds` has the request, and that the run is active or exited `completed`. The engine
 * writes a run only on the version it read, so raising the version is what orders the two writers:
 * an exit computed before the fence's write is refused and computed again. A refused condition
 * returns the item as it stood (`ReturnValuesOnConditionCheckFailure`), which is the consistent
 * read of the run that says why, without another request.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  FencedRun,
  FenceWrite,
  JourneyDispatchFence,
  JourneySend,
} from '../../domain/routing/journey-dispatch-fence';
import { journeyRunKey, messagesDocuments } from './messages-table';

/** Options for {@link DynamoDbJourneyDispatchFence}. */
export interface DynamoDbJourneyDispatchFenceOptions {
  readonly client: DynamoDBClient;
  /** The messages table, where the run items live. */
  readonly tableName: string;
}

/** {@link JourneyDispatchFence} on the messages table's run items. */
export class DynamoDbJourneyDispatchFence implements JourneyDispatchFence {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoDbJourneyDispatchFenceOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
  }

  async markDispatched(send: JourneySend, at: string): Promise<FenceWrite> {
    try {
      await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: journeyRunKey(send.customerId, send.journeyId, send.key),
          UpdateExpression:
            'SET dispatched.#request = if_not_exists(dispatched.#request, :at), #version = #version + :one',
          ConditionExpression:
            'runId = :runId AND contains(sendIds, :request) AND (#status = :active OR exitReason = :completed)',
          ExpressionAttributeNames: {
            '#request': send.requestId,
            '#status': 'status',
            '#version': 'version',
          },
          ExpressionAttributeValues: {
            ':at': at,
            ':one': 1,
            ':runId': send.runId,
            ':request': send.requestId,
            ':active': 'active',
            ':completed': 'completed',
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item ? { written: false, run: fencedRunOf(unmarshall(error.Item)) } : { written: false };
    }
  }
}

/** The fields of a run item the fence's verdict reads. */
function fencedRunOf(item: Record<string, unknown>): FencedRun {
  const dispatched =
    typeof item.dispatched === 'object' && item.dispatched !== null
      ? Object.fromEntries(Object.entries(item.dispatched).map(([id, when]) => [id, String(when)]))
      : {};
  return {
    runId: String(item.runId ?? ''),
    status: String(item.status ?? ''),
    ...(typeof item.exitReason === 'string' ? { exitReason: item.exitReason } : {}),
    // A list as the engine writes it; a string set read as well.
    sendIds: Array.isArray(item.sendIds) || item.sendIds instanceof Set ? [...item.sendIds].map(String) : [],
    dispatched,
  };
}
