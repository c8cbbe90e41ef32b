/**
 * Reading what link tracking wrote on the messages table (link items, click items, attempt items)
 * and following short links over HTTP without following the redirect.
 */
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { attemptKey, messagesDocuments } from '../../functions/adapters/dynamodb/messages-table';
import type { ChannelMessage } from '../../functions/contract';

/** A short link's token pattern, as it appears in a sent text. */
export const SHORT_LINK_TOKEN = /\/c\/([A-Za-z0-9_-]{22})/g;

/** The tokens of the short links in a text, in order. */
export function shortLinkTokens(text: string): string[] {
  return [...text.matchAll(SHORT_LINK_TOKEN)].map((match) => match[1] as string);
}

/** Every link item of a table (a scan: tests have tables of their own). */
export async function linkItems(dynamodb: DynamoDBClient, table: string): Promise<Record<string, unknown>[]> {
  const output = await dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return (output.Items ?? []).map((item) => unmarshall(item)).filter((item) => item.kind === 'link');
}

/** The click items on a customer's partition. */
export async function clickItems(
  dynamodb: DynamoDBClient,
  table: string,
  customerId: string,
): Promise<Record<string, unknown>[]> {
  const output = await messagesDocuments(dynamodb).send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :click)',
      ExpressionAttributeValues: { ':pk': `customer#${customerId}`, ':click': 'click#' },
      ConsistentRead: true,
    }),
  );
  return output.Items ?? [];
}

/** The attempt item of a channel message. */
export async function attemptItem(
  dynamodb: DynamoDBClient,
  table: string,
  message: ChannelMessage,
): Promise<Record<string, unknown> | undefined> {
  const output = await messagesDocuments(dynamodb).send(
    new GetCommand({ TableName: table, Key: attemptKey(message), ConsistentRead: true }),
  );
  return output.Item;
}

/** GETs a URL without following a redirect. */
export async function follow(url: string): Promise<{ status: number; location: string | null }> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  return { status: response.status, location: response.headers.get('location') };
}
