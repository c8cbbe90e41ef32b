/**
 * Conditional writes as a yes/no answer: the ledger, the webhook ledger and the consent store all
 * write "only if" (status moves forward, lease is free, version matches) and treat a failed
 * condition as an answer, not an error.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/** Sends a conditional update; false when the condition did not hold, any other error thrown. */
export async function updateConditionally(
  documents: DynamoDBDocumentClient,
  command: UpdateCommand,
): Promise<boolean> {
  try {
    await documents.send(command);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
