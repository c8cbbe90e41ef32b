/**
 * Conditional writes as a yes/no answer: the ledger, the webhook ledger and the consent store all
 * write "only if" (status moves forward, lease is free, version matches) and treat a failed
 * condition as an answer, not an error.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, type UpdateCommand } from '@aws-sdk/lib-dynamodb';

/** Sends a conditional update; false when the condition did not hold, any other error thrown. */
export function updateConditionally(
  documents: DynamoDBDocumentClient,
  command: UpdateCommand,
): Promise<boolean> {
  return conditionHeld(() => documents.send(command));
}

/** Sends a conditional put; false when the condition did not hold, any other error thrown. */
export function putConditionally(documents: DynamoDBDocumentClient, command: PutCommand): Promise<boolean> {
  return conditionHeld(() => documents.send(command));
}

/** Puts an item unless one with its key is there; false when one was (a duplicate, not an error). */
export function putIfAbsent(
  documents: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
): Promise<boolean> {
  return putConditionally(
    documents,
    new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
  );
}

async function conditionHeld(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
